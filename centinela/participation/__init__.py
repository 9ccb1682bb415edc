"""Citizen participation (issue 12): residents report problems of security without an account (category, place,
description, photos, optional contact with consent), follow them through a private link, and the council triages them
in an inbox (status with public updates or internal notes, assignment, moderated public text), e-mailing the reporter
at each public change."""
