"""intake_app.services"""
