"""No models yet; having this module makes Django send post_migrate for this app."""
