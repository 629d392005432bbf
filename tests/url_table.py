"""Every URL pattern of the project, with who may open it: the table that the URL × role test
(test_url_access.py) checks and that the sweeps (CSRF, XSS, names, dates, one-time forms)
walk. A new URL needs its line here."""

ROLES = [
    "anonymous",
    "intervenant_site",
    "intervenant_other_site",
    "coordination",
    "direction",
    "admin",
    "no_role",
    "research",
]

LOGIN = "login"  # a redirect to the login page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


# The research role opens only what is marked for it (the evaluation's pages, its account's
# own): everything else answers 403, whoever else may open it.
def expect(
    *,
    anonymous=LOGIN,
    site=OK,
    other=OK,
    coordination=OK,
    direction=OK,
    admin=OK,
    none=FORBIDDEN,
    research=FORBIDDEN,
):
    outcomes = [anonymous, site, other, coordination, direction, admin, none, research]
    return dict(zip(ROLES, outcomes, strict=True))


EVERY_ROLE = expect()
PUBLIC = expect(anonymous=OK, none=OK, research=OK)
OBJECT_OF_THE_SITE = expect(other=NOT_FOUND)
MANAGERS_ONLY = expect(site=FORBIDDEN, other=FORBIDDEN)
# An action on an object of the site, which sends back to the page it came from.
OBJECT_OF_THE_SITE_THEN_BACK = expect(
    site=REDIRECT, other=NOT_FOUND, coordination=REDIRECT, direction=REDIRECT, admin=REDIRECT
)


# Someone's own record (a running tally): the others do not learn that it exists.
def author_only(**author) -> dict:
    return expect(
        other=NOT_FOUND, coordination=NOT_FOUND, direction=NOT_FOUND, admin=NOT_FOUND, **author
    )


AUTHOR_ONLY = author_only()
# A file prepared for the coordinator who asked for it: nobody else learns that it exists.
ASKER_ONLY = expect(
    site=NOT_FOUND, other=NOT_FOUND, coordination=OK, direction=NOT_FOUND, admin=NOT_FOUND
)
RESEARCH_AND_DIRECTION = expect(
    site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN, research=OK
)
# A supervision session: its supervisor (coordination) and the person supervised (the
# intervenant of the site); nobody else learns that it exists, the direction included.
SESSION_PEOPLE_ONLY = expect(other=NOT_FOUND, direction=NOT_FOUND, admin=NOT_FOUND)
DIRECTION_ONLY = expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN)
DIRECTION_ONLY_THEN_BACK = expect(
    site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, direction=REDIRECT, admin=FORBIDDEN
)

# Team meetings are the staff's; a meeting is for those who attended (the intervenant of the
# site, in the world) and the direction: the others do not learn that it exists.
TEAM_STAFF = expect(admin=FORBIDDEN)
ATTENDED = expect(other=NOT_FOUND, coordination=NOT_FOUND, admin=FORBIDDEN)
ATTENDED_THEN_BACK = expect(
    site=REDIRECT, other=NOT_FOUND, coordination=NOT_FOUND, direction=REDIRECT, admin=FORBIDDEN
)

# route name -> (method, object the URL points to, expected outcome per role)
EXPECTATIONS = {
    # The type-ahead's searches: a POST that answers names of the user's own sites.
    "residents:resident_lookup": ("post", None, EVERY_ROLE),
    "residents:household_lookup": ("post", None, EVERY_ROLE),
    "interventions:my_day": ("get", None, EVERY_ROLE),
    "interventions:quick_log": ("get", None, EVERY_ROLE),
    "interventions:intervention_list": ("get", None, EVERY_ROLE),
    "interventions:intervention_create": ("get", None, EVERY_ROLE),
    "interventions:intervention_detail": ("get", "intervention", OBJECT_OF_THE_SITE),
    # Only the author (the intervenant of the site) and the direction change an intervention.
    "interventions:intervention_update": (
        "get",
        "intervention",
        expect(other=NOT_FOUND, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "interventions:intervention_delete": (
        "get",
        "intervention",
        expect(other=NOT_FOUND, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "interventions:follow_ups": ("get", None, EVERY_ROLE),
    # A running tally is its author's alone: nobody else may even know it exists.
    "interventions:tally_start": ("get", None, EVERY_ROLE),
    "interventions:tally_detail": ("get", "tally", AUTHOR_ONLY),
    "interventions:tally_count": (
        "post",
        "tally",
        author_only(site=REDIRECT),
    ),
    # Closing needs the form's one-time token: a bare POST is refused as bad input.
    "interventions:tally_close": ("post", "tally", author_only(site=400)),
    "interventions:tally_discard": (
        "post",
        "tally",
        author_only(site=REDIRECT),
    ),
    "interventions:intervention_export": ("get", None, MANAGERS_ONLY),
    # The follow-up is the author's: the direction may close it too.
    "interventions:follow_up_done": (
        "post",
        "intervention",
        expect(
            site=REDIRECT,
            other=NOT_FOUND,
            coordination=FORBIDDEN,
            direction=REDIRECT,
            admin=FORBIDDEN,
        ),
    ),
    # Reopening (the "undo" of done) and putting off a follow-up: the same people as closing
    # it. A POST without a date is bad input, answered with the list and its message.
    "interventions:follow_up_reopen": (
        "post",
        "intervention",
        expect(
            site=REDIRECT,
            other=NOT_FOUND,
            coordination=FORBIDDEN,
            direction=REDIRECT,
            admin=FORBIDDEN,
        ),
    ),
    # A POST without a date is refused as bad input (400) by those who may put it off.
    "interventions:follow_up_postpone": (
        "post",
        "intervention",
        expect(site=400, other=NOT_FOUND, coordination=FORBIDDEN, direction=400, admin=FORBIDDEN),
    ),
    "interventions:activity_list": ("get", None, EVERY_ROLE),
    "interventions:activity_create": ("get", None, EVERY_ROLE),
    "interventions:activity_detail": ("get", "activity", OBJECT_OF_THE_SITE),
    "interventions:activity_update": ("get", "activity", OBJECT_OF_THE_SITE),
    "interventions:session_create": ("get", "activity", OBJECT_OF_THE_SITE),
    "partners:organisation_list": ("get", None, EVERY_ROLE),
    "partners:organisation_detail": ("get", "organisation", EVERY_ROLE),
    "partners:organisation_create": ("get", None, MANAGERS_ONLY),
    "partners:organisation_update": ("get", "organisation", MANAGERS_ONLY),
    "partners:membership_create": ("get", "committee", MANAGERS_ONLY),
    "partners:committee_member_lookup": ("post", "committee", MANAGERS_ONLY),
    "partners:network": ("get", None, EVERY_ROLE),
    # Concertation meetings: every role of the team reads them (intervenants sit at the tables
    # too), coordination and the direction (and administrators) record them; intervenants may
    # mark a commitment kept or dropped. A POST without its fields is bad input (400).
    "partners:meeting_list": ("get", None, EVERY_ROLE),
    "partners:meeting_detail": ("get", "concertation_meeting", EVERY_ROLE),
    "partners:meeting_create": ("get", None, MANAGERS_ONLY),
    "partners:meeting_update": ("get", "concertation_meeting", MANAGERS_ONLY),
    "partners:commitment_create": (
        "post",
        "concertation_meeting",
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=400, direction=400, admin=400),
    ),
    "partners:commitment_list": ("get", None, EVERY_ROLE),
    "partners:commitment_status": (
        "post",
        "commitment",
        expect(site=400, other=400, coordination=400, direction=400, admin=400),
    ),
    "partners:referral_queue": ("get", None, EVERY_ROLE),
    "partners:referral_export": ("get", None, MANAGERS_ONLY),
    # Coordination and the intervenants of the site act on referrals; the direction reads.
    "partners:referral_create": ("get", None, expect(direction=FORBIDDEN)),
    # What the referral form's pickers ask for: the consents and interventions of a household.
    "partners:referral_intervention_lookup": ("post", None, expect(direction=FORBIDDEN)),
    "partners:referral_consent_lookup": ("post", None, expect(direction=FORBIDDEN)),
    "partners:organisation_lookup": ("post", None, expect(direction=FORBIDDEN)),
    "partners:service_lookup": ("post", None, expect(direction=FORBIDDEN)),
    "partners:referral_detail": ("get", "referral", OBJECT_OF_THE_SITE),
    "partners:referral_update": (
        "get",
        "referral",
        expect(other=NOT_FOUND, direction=FORBIDDEN),
    ),
    # Recording the consent a referral waits for is acting on it.
    "partners:referral_consent_create": (
        "get",
        "referral",
        expect(other=NOT_FOUND, direction=FORBIDDEN),
    ),
    "partners:referral_status": (
        "post",
        "referral",
        # A POST without a status is refused as bad input (400) by those who may act.
        expect(site=400, other=NOT_FOUND, coordination=400, direction=FORBIDDEN, admin=400),
    ),
    # Emailing a partner link is acting on the referral; a POST without a contact is bad input.
    "partners:referral_link_send": (
        "post",
        "sent_referral",
        expect(site=400, other=NOT_FOUND, coordination=400, direction=FORBIDDEN, admin=400),
    ),
    "partners:partner_link_revoke": (
        "post",
        "partner_link",
        expect(
            site=REDIRECT,
            other=NOT_FOUND,
            coordination=REDIRECT,
            direction=FORBIDDEN,
            admin=REDIRECT,
        ),
    ),
    # The one page without an account: the token is the key. A token that opens no link is a
    # 404 for everyone, logged in or not (tests/partners/test_partner_links.py opens good ones).
    "partners:partner_link": (
        "get",
        "bad_partner_token",
        expect(
            anonymous=NOT_FOUND,
            site=NOT_FOUND,
            other=NOT_FOUND,
            coordination=NOT_FOUND,
            direction=NOT_FOUND,
            admin=NOT_FOUND,
            none=NOT_FOUND,
            research=NOT_FOUND,
        ),
    ),
    "dashboard": ("get", None, expect(site=FORBIDDEN, other=FORBIDDEN, research=OK)),
    "dashboard_settings": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "my_month": ("get", None, EVERY_ROLE),
    "annual_report": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN),
    ),
    "not_reached": ("get", None, EVERY_ROLE),
    # Each role lands on its own work: the intervenants and the administrators are sent to
    # "Ma journée", coordination reads its referrals and follow-ups, the direction its month.
    "home": ("get", None, expect(site=REDIRECT, other=REDIRECT, admin=REDIRECT, research=REDIRECT)),
    "set_language": (
        "post",
        None,
        expect(
            anonymous=REDIRECT,
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
            research=REDIRECT,
        ),
    ),
    "accounts:login": (
        "get",
        None,
        expect(
            anonymous=OK,
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
            research=REDIRECT,
        ),
    ),
    "accounts:logout": (
        "post",
        None,
        expect(
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
            research=REDIRECT,
        ),
    ),
    "accounts:password_change": ("get", None, expect(none=OK, research=OK)),
    "accounts:password_change_done": ("get", None, expect(none=OK, research=OK)),
    # Two-factor authentication is for every account, with or without a role. The code page
    # sends on whoever owes no code (every persona here has given its code, or has no device).
    "accounts:two_factor_verify": (
        "get",
        None,
        expect(
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
            none=REDIRECT,
            research=REDIRECT,
        ),
    ),
    "accounts:two_factor_enrol": ("get", None, expect(none=OK, research=OK)),
    "accounts:two_factor": ("get", None, expect(none=OK, research=OK)),
    # New recovery codes need a code given in this session: the others are sent to give one.
    "accounts:two_factor_recovery_codes": (
        "post",
        None,
        expect(
            site=REDIRECT, other=REDIRECT, coordination=REDIRECT, none=REDIRECT, research=REDIRECT
        ),
    ),
    # Roles that require two-factor authentication cannot turn it off.
    "accounts:two_factor_disable": (
        "post",
        None,
        expect(
            site=REDIRECT,
            other=REDIRECT,
            coordination=REDIRECT,
            direction=FORBIDDEN,
            admin=FORBIDDEN,
            none=REDIRECT,
            research=REDIRECT,
        ),
    ),
    "privacy:read_log": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    # Who changed a staff account's role, sites, flags or second factor: the direction reviews
    # the administrators' work.
    "privacy:account_changes": ("get", None, DIRECTION_ONLY),
    # Retention (Law 25): the direction reviews the files due for anonymisation.
    "privacy:retention_due": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    # The direction's go-ahead to anonymise the files due: a job does it.
    "privacy:retention_confirm": ("post", None, DIRECTION_ONLY_THEN_BACK),
    # Access and portability (Law 25, s. 27): handled by the direction, which is in charge
    # of personal information; the role is checked before the file is looked up.
    "privacy:resident_personal_information": (
        "get",
        "resident",
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "privacy:resident_personal_information_json": (
        "get",
        "resident",
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    # A site's collective issues: its intervenants, coordination, the direction and the
    # administrators; an intervenant of another site does not learn that an issue exists.
    "collective:issue_list": ("get", None, EVERY_ROLE),
    "collective:issue_create": ("get", None, EVERY_ROLE),
    "collective:issue_detail": ("get", "collective_issue", OBJECT_OF_THE_SITE),
    "collective:issue_update": ("get", "collective_issue", OBJECT_OF_THE_SITE),
    "collective:issue_response_create": ("get", "collective_issue", OBJECT_OF_THE_SITE),
    # The page's actions: a POST without its choice is bad input (400), shown on the page.
    "collective:issue_status": (
        "post",
        "collective_issue",
        expect(site=400, other=NOT_FOUND, coordination=400, direction=400, admin=400),
    ),
    "collective:issue_households_add": (
        "post",
        "collective_issue",
        expect(site=400, other=NOT_FOUND, coordination=400, direction=400, admin=400),
    ),
    "collective:issue_interventions_link": (
        "post",
        "collective_issue",
        expect(site=400, other=NOT_FOUND, coordination=400, direction=400, admin=400),
    ),
    # Taking off a row without naming it changes nothing and goes back to the issue.
    "collective:issue_household_remove": (
        "post",
        "collective_issue",
        OBJECT_OF_THE_SITE_THEN_BACK,
    ),
    "collective:issue_intervention_unlink": (
        "post",
        "collective_issue",
        OBJECT_OF_THE_SITE_THEN_BACK,
    ),
    "collective:issue_intervention_lookup": ("post", "collective_issue", OBJECT_OF_THE_SITE),
    # Team meetings: the staff's (not the administrators'); a meeting, and every word of its
    # case discussions, for those who attended it and the direction only.
    "team:meeting_list": ("get", None, TEAM_STAFF),
    "team:meeting_create": ("get", None, TEAM_STAFF),
    "team:meeting_detail": ("get", "meeting", ATTENDED),
    "team:meeting_update": ("get", "meeting", ATTENDED),
    "team:item_create": ("get", "meeting", ATTENDED),
    "team:item_update": ("get", "agenda_item", ATTENDED),
    "team:item_delete": ("post", "agenda_item", ATTENDED_THEN_BACK),
    "team:action_create": ("get", "agenda_item", ATTENDED),
    "team:action_update": ("get", "meeting_action", ATTENDED),
    "team:action_delete": ("post", "meeting_action", ATTENDED_THEN_BACK),
    "team:action_done": ("post", "meeting_action", ATTENDED_THEN_BACK),
    "team:action_reopen": ("post", "meeting_action", ATTENDED_THEN_BACK),
    # The register of confidentiality incidents (Law 25) is the direction's.
    "incidents:incident_list": ("get", None, DIRECTION_ONLY),
    "incidents:incident_create": ("get", None, DIRECTION_ONLY),
    "incidents:incident_detail": ("get", "incident", DIRECTION_ONLY),
    "incidents:incident_update": ("get", "incident", DIRECTION_ONLY),
    "incidents:incident_export": ("get", None, DIRECTION_ONLY),
    # The developmental evaluation: the staff write the practice journal, the research team
    # reads it; an entry is changed by its author (the intervenant of the site) and the
    # direction; the research data set is the research team's and the direction's.
    "evaluation:journal": ("get", None, expect(research=OK)),
    "evaluation:entry_detail": ("get", "journal_entry", expect(research=OK)),
    "evaluation:entry_create": ("get", None, EVERY_ROLE),
    "evaluation:entry_update": (
        "get",
        "journal_entry",
        expect(other=FORBIDDEN, coordination=FORBIDDEN, admin=FORBIDDEN),
    ),
    "evaluation:research_export": ("get", None, RESEARCH_AND_DIRECTION),
    "evaluation:research_export_download": ("get", None, RESEARCH_AND_DIRECTION),
    # Clinical support: a session is its supervisor's (coordination, here) and its persons
    # supervised' (the intervenant of the site); the direction sees only how often each person
    # had one, sets the planned hours and the workload thresholds.
    "support:session_list": ("get", None, EVERY_ROLE),
    "support:session_create": ("get", None, EVERY_ROLE),
    "support:session_detail": ("get", "supervision_session", SESSION_PEOPLE_ONLY),
    "support:session_update": ("get", "supervision_session", SESSION_PEOPLE_ONLY),
    "support:team": ("get", None, DIRECTION_ONLY),
    "support:work_plan_update": ("get", "team_member", DIRECTION_ONLY),
    "support:thresholds": ("get", None, DIRECTION_ONLY),
    "residents:site_list": ("get", None, EVERY_ROLE),
    "residents:household_list": ("get", None, EVERY_ROLE),
    "residents:household_create": ("get", None, EVERY_ROLE),
    "residents:household_import": ("get", None, MANAGERS_ONLY),
    "residents:household_import_confirm": (
        "post",
        None,
        expect(
            site=FORBIDDEN,
            other=FORBIDDEN,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
        ),
    ),
    "residents:household_detail": ("get", "household", OBJECT_OF_THE_SITE),
    "residents:household_update": ("get", "household", OBJECT_OF_THE_SITE),
    "residents:household_move_out": ("get", "household", OBJECT_OF_THE_SITE),
    "residents:resident_detail": ("get", "resident", OBJECT_OF_THE_SITE),
    "residents:consent_create": ("get", "resident", OBJECT_OF_THE_SITE),
    # The participation ladder of the sites one sees; a role recorded on a resident's path.
    "empowerment:ladder": ("get", None, EVERY_ROLE),
    "empowerment:role_create": ("get", "resident", OBJECT_OF_THE_SITE),
    "residents:consent_withdraw": (
        "post",
        "consent",
        expect(
            site=REDIRECT,
            other=NOT_FOUND,
            coordination=REDIRECT,
            direction=REDIRECT,
            admin=REDIRECT,
        ),
    ),
    # The installable app's two files hold nobody's data; the browser fetches the manifest
    # without the session's cookie and the worker before any page: like static files.
    "offline:manifest": ("get", None, PUBLIC),
    "offline:service_worker": ("get", None, PUBLIC),
    # The pages the phone keeps, and what it keeps: every role's own (name-free but for the
    # residents one keeps at hand, who are of one's sites).
    "offline:day": ("get", None, EVERY_ROLE),
    "offline:quick_log": ("get", None, EVERY_ROLE),
    "offline:session": ("get", "activity", OBJECT_OF_THE_SITE),
    "offline:bundle": ("get", None, EVERY_ROLE),
    # The queue's door: an empty body is refused as damaged (400) for whoever may log.
    "offline:sync": (
        "post",
        None,
        expect(site=400, other=400, coordination=400, direction=400, admin=400),
    ),
    "offline:at_hand": ("get", None, EVERY_ROLE),
    # Files too big to make while the page waits, prepared by a job: for who may export them
    # (the annual report: the direction), each one its asker's alone.
    "downloads:prepare_interventions": ("get", None, MANAGERS_ONLY),
    "downloads:prepare_referrals": ("get", None, MANAGERS_ONLY),
    "downloads:prepare_annual_report": (
        "get",
        None,
        expect(site=FORBIDDEN, other=FORBIDDEN, coordination=FORBIDDEN),
    ),
    "downloads:detail": ("get", "prepared_file", ASKER_ONLY),
    "downloads:file": ("get", "prepared_file", ASKER_ONLY),
    # The bell and its page: what waits on each person, counts and links.
    "reminders:list": ("get", None, EVERY_ROLE),
    "reminders:count": ("get", None, EVERY_ROLE),
    "reminders:choices": ("get", None, EVERY_ROLE),
    "offline:at_hand_add": ("post", "resident", OBJECT_OF_THE_SITE_THEN_BACK),
    "offline:at_hand_remove": ("post", "resident", OBJECT_OF_THE_SITE_THEN_BACK),
}

# The Django admin is one namespace with its own gate: only the admin role gets in; the
# others, anonymous included, are sent to the admin's login page.
ADMIN_SAMPLES = [
    "admin:index",
    "admin:residents_household_changelist",
    "admin:accounts_user_changelist",
]
ADMIN_EXPECTED = expect(
    anonymous=REDIRECT,
    site=REDIRECT,
    other=REDIRECT,
    coordination=REDIRECT,
    direction=REDIRECT,
    admin=OK,
    none=FORBIDDEN,
)
