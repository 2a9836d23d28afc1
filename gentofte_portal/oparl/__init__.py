"""The open-data API: everything the portal publishes as OParl 1.1 (README, "Open data"). Read-only, anonymous, and
never more than the public pages show."""
