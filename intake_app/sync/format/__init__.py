"""intake_app.sync.format"""
