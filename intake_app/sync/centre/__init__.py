"""intake_app.sync.centre"""
