"""intake_app.i18n.tools"""
