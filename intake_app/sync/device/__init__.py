"""intake_app.sync.device"""
