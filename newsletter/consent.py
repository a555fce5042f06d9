"""The words a reader agrees to when subscribing. Each subscriber records the version they saw.

Never edit a published wording: add a new version and make it CURRENT, so every consent on
record can still be shown as it was given.
"""

WORDINGS = {
    "2026-12": (
        "Send me the {site} digest of new briefs by email at the frequency I chose. "
        "My address is used for nothing else and I can unsubscribe at any time from any mail."
    ),
}
CURRENT = "2026-12"


def wording(version, site):
    return WORDINGS.get(version, "").format(site=site)
