"""intake_app.ui.worker"""
