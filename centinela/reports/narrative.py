"""What a programme did in the year, told in sentences built from its records: counts, places, partners and people,
never typed by hand. One function per kind of activity; each returns paragraphs (plain text)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centinela.activities.models import Activity, ActivityPartner, Attendance
from centinela.reports.formatting import contracted, day, join, money, number, percent, with_article
from centinela.territory.models import Parish

ROLE_PHRASES = {
    Attendance.Role.PARISH_PRESIDENT: lambda n: ngettext("%(n)s parish president", "%(n)s parish presidents", n),
    Attendance.Role.BARRIO_LEADER: lambda n: ngettext("%(n)s barrio leader", "%(n)s barrio leaders", n),
    Attendance.Role.RESIDENT: lambda n: ngettext("%(n)s barrio resident", "%(n)s barrio residents", n),
    Attendance.Role.POLICE: lambda n: ngettext(
        "%(n)s member of the National Police", "%(n)s members of the National Police", n
    ),
    Attendance.Role.FIREFIGHTER: lambda n: ngettext(
        "%(n)s member of the Fire Brigade", "%(n)s members of the Fire Brigade", n
    ),
}
MATERIAL_PHRASES = {
    "banner": lambda n: ngettext("%(n)s banner", "%(n)s banners", n),
    "poster": lambda n: ngettext("%(n)s poster", "%(n)s posters", n),
    "flyer": lambda n: ngettext("%(n)s flyer", "%(n)s flyers", n),
    "digital": lambda n: ngettext("%(n)s digital piece", "%(n)s digital pieces", n),
    "other": lambda n: ngettext("%(n)s piece", "%(n)s pieces", n),
}


def spanish_plural(name: str) -> str:
    """The plural of a type's name ("Fumigación" -> "fumigaciones"). Types are data written in Spanish, so the rule
    is Spanish whatever the interface language; only the first word changes ("revisión de alumbrado")."""
    word, sep, rest = name.partition(" ")
    low = word if word.isupper() else word.lower()
    unaccent = str.maketrans("áéíóú", "aeiou")
    if low[-1:] in "aeiouéáó":
        plural = low + "s"
    elif low[-2:] in ("ón", "án", "én", "ín", "ún"):
        plural = low[:-2] + low[-2:].translate(unaccent) + "es"
    elif low.endswith("z"):
        plural = low[:-1] + "ces"
    elif low[-1:] in "sx":
        plural = low
    else:
        plural = low + "es"
    return plural + sep + rest


def _where(activity: Activity) -> str:
    if activity.place_id:
        return activity.place.name
    barrios = [b.name for b in activity.barrios.all()]
    if barrios:
        return ngettext("barrio %(names)s", "barrios %(names)s", len(barrios)) % {"names": join(barrios)}
    return activity.parish.name if activity.parish_id else ""


def _item(activity: Activity) -> str:
    """What an activity is about, as its title names it after the colon ("Reactivación ...: Parque Bolívar")."""
    stem, sep, item = activity.title.partition(":")
    return item.strip() if sep and item.strip() else _where(activity) or activity.title


def _unique(items):
    return list(dict.fromkeys(i for i in items if i))


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _parishes_phrase(parishes: list[Parish]) -> str:
    urban = Parish.objects.filter(kind=Parish.Kind.URBAN)
    names = [p.name for p in sorted(parishes, key=lambda p: p.code)]
    if parishes and {p.pk for p in parishes} == set(urban.values_list("pk", flat=True)):
        return _("the %(n)s urban parishes of the canton (%(names)s)") % {"n": len(parishes), "names": join(names)}
    return ngettext("the parish %(names)s", "the parishes %(names)s", len(names)) % {"names": join(names)}


def women_count(n: int) -> str:
    """ "1 woman", "9 women": the number of women agrees with its noun (it said "1 mujeres")."""
    return ngettext("%(n)s woman", "%(n)s women", n) % {"n": n}


def trainings(activities: list[Activity]) -> list[str]:
    if not activities:
        return []
    trained = [a.training for a in activities if hasattr(a, "training")]
    topics = _unique(f"«{t.topic}»" for t in trained)
    audiences = _unique(t.audience for t in trained)
    parishes = _unique(a.parish for a in activities if a.parish_id)
    audience = _lower_first(audiences[0]) if len(audiences) == 1 else _parishes_phrase(parishes)
    n = len(activities)
    text = [
        ngettext(
            "%(n)s training was held on %(topics)s for %(audience)s.",
            "%(n)s trainings were held on %(topics)s for %(audience)s.",
            n,
        )
        % {"n": n, "topics": join(topics), "audience": audience},
    ]
    places = _unique(_where(a) if a.place_id else "" for a in activities)
    if places:
        text.append(_("Venue: %(places)s.") % {"places": join(places)})
    present = [x for t in trained for x in t.attendances.all() if x.attended]
    attendances = [x for x in present if x.is_trainee]
    people = {x.person_id for x in attendances}
    women = {x.person_id for x in attendances if x.person.sex == "F"}
    if people:
        roles = Counter()
        others = Counter()
        for x in attendances:
            if x.role in ROLE_PHRASES:
                roles[x.role] += 1
            else:
                others[x.institution.name if x.institution_id else ""] += 1
        parts = [ROLE_PHRASES[role](roles[role]) % {"n": roles[role]} for role in ROLE_PHRASES if roles[role]]
        for institution, count in others.items():
            parts.append(
                (
                    ngettext("%(n)s person from %(institution)s", "%(n)s people from %(institution)s", count)
                    if institution
                    else ngettext("%(n)s other person", "%(n)s other people", count)
                )
                % {"n": count, "institution": with_article(institution)}
            )
        only = next(iter(others)) if not roles and len(others) == 1 else ""
        if only:  # all from one institution (the ECU 911's operators): said once, not "18 people: 18 people from"
            text.append(
                ngettext(
                    "%(n)s person from %(institution)s was trained (%(women)s).",
                    "%(n)s people from %(institution)s were trained (%(women)s).",
                    len(people),
                )
                % {"n": len(people), "institution": with_article(only), "women": women_count(len(women))}
            )
        else:
            text.append(
                ngettext(
                    "%(n)s person was trained (%(women)s): %(roles)s.",
                    "%(n)s people were trained (%(women)s): %(roles)s.",
                    len(people),
                )
                % {"n": len(people), "women": women_count(len(women)), "roles": join(parts)}
            )
    speakers = _unique(s.institution.name for t in trained for s in t.speakers.all())
    if speakers:
        text.append(_("Speakers from %(institutions)s.") % {"institutions": join(map(with_article, speakers))})
    support = _support([x for x in present if not x.is_trainee], speakers)
    if support:
        text.append(support)
    return [contracted(" ".join(text))]


def _support(attendances: list, speakers: list[str]) -> str:
    """Who came with the speakers to inform the attendees (not trained, so not counted among the people trained):
    "12 members of the National Police and 12 of the Fire Brigade came to inform the attendees", their institutions
    in the order of the speakers' (`speakers`: institution names)."""
    people = {x.person_id for x in attendances}
    if not people:
        return ""
    by_institution: dict[str, set] = defaultdict(set)
    by_role: dict[str, set] = defaultdict(set)
    for x in attendances:
        if x.institution_id:
            by_institution[x.institution.name].add(x.person_id)
        else:
            by_role[x.role].add(x.person_id)
    parts = []
    order = {name: i for i, name in enumerate(speakers)}
    for i, (name, ids) in enumerate(
        sorted(by_institution.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ):
        n = len(ids)
        phrase = (
            ngettext("%(n)s member of %(institution)s", "%(n)s members of %(institution)s", n)
            if i == 0
            else ngettext("%(n)s of %(institution)s", "%(n)s of %(institution)s", n)  # the noun said once
        )
        parts.append(phrase % {"n": n, "institution": with_article(name)})
    for role, ids in by_role.items():
        n = len(ids)
        phrase = ROLE_PHRASES.get(role, lambda n: ngettext("%(n)s other person", "%(n)s other people", n))(n)
        parts.append(phrase % {"n": n})
    return ngettext(
        "In addition, %(who)s came to inform the attendees.",
        "In addition, %(who)s came to inform the attendees.",
        len(people),
    ) % {"who": join(parts)}


def _contributions(activities: list[Activity]) -> str:
    executed = sum((a.budget_executed for a in activities), Decimal(0))
    donors = defaultdict(Decimal)
    for a in activities:
        for role in a.partner_roles.all():
            if role.role == ActivityPartner.Role.DONOR:
                donors[role.institution.name] += role.in_kind_value
    if donors and not executed:
        return _(
            "They were done free of charge for the council, with the in-kind contribution of %(donors)s (%(value)s)."
        ) % {"donors": join(donors), "value": money(sum(donors.values()))}
    if donors:
        return _("The council invested %(executed)s and %(donors)s contributed %(value)s in kind.") % {
            "executed": money(executed),
            "donors": join(donors),
            "value": money(sum(donors.values())),
        }
    return _("The council invested %(executed)s.") % {"executed": money(executed)} if executed else ""


def operations(activities: list[Activity]) -> list[str]:
    groups = defaultdict(list)
    for a in activities:
        op = getattr(a, "operation", None)
        groups[(op.operation_type.name, op.product) if op else (a.title, "")].append(a)
    out = []
    for (type_name, product), acts in groups.items():
        n = len(acts)
        values = {
            "n": n,
            "type": spanish_plural(type_name) if n != 1 else type_name.lower(),
            "product": product,
            "places": join(map(with_article, _unique(_where(a) for a in acts))),  # "en el Teatro Bolívar"
        }
        if product:
            text = [
                ngettext(
                    "%(n)s %(type)s with %(product)s was done at %(places)s.",
                    "%(n)s %(type)s with %(product)s were done at %(places)s.",
                    n,
                )
                % values
            ]
        else:
            text = [
                ngettext("%(n)s %(type)s was done at %(places)s.", "%(n)s %(type)s were done at %(places)s.", n)
                % values
            ]
        area = sum((a.operation.area_m2 or 0 for a in acts if getattr(a, "operation", None)), Decimal(0))
        if area:
            text.append(_("Area treated: %(area)s m².") % {"area": number(area)})
        text.append(_contributions(acts))
        out.append(contracted(" ".join(t for t in text if t)))
    return out


def campaigns(activities: list[Activity]) -> list[str]:
    out = []
    for a in activities:
        campaign = getattr(a, "campaign", None)
        if campaign is None:
            out.append(a.title + ".")
            continue
        placements = list(campaign.placements.all())
        by_kind = Counter()
        for p in placements:
            by_kind[p.material.kind] += p.quantity
        materials = [MATERIAL_PHRASES[k](q) % {"n": q} for k, q in by_kind.items()]
        partners = _unique(
            [p.partner.name for p in placements if p.partner_id]
            + [r.institution.name for r in a.partner_roles.all() if r.role != ActivityPartner.Role.DONOR]
        )
        values = {
            "title": a.title,
            "theme": campaign.get_theme_display().lower(),
            "materials": join(materials),
            "places": join(map(with_article, _unique(p.place.name for p in placements))),  # "en el Banco de Loja"
        }
        text = [
            _("%(title)s (%(theme)s): %(materials)s were placed at %(places)s.") % values
            if placements
            else _("%(title)s (%(theme)s).") % values
        ]
        if partners:
            text.append(_("With the support of %(partners)s.") % {"partners": join(map(with_article, partners))})
        out.append(contracted(" ".join(text)))
    return out


def meetings(activities: list[Activity], groups, as_of: date | None = None) -> list[str]:
    """`as_of`: the last day of the report's year. A group is "in formation" until a record says it was formed (its
    formed_on) on or before that day: a group formed the next year was still being formed in this year's account."""
    out = []
    by_group = defaultdict(list)
    for a in activities:
        by_group[a.working_group_id].append(a)
    for group in groups:
        members = [m.institution.name for m in group.members.all()]
        held = by_group.pop(group.pk, [])
        text = [f"«{group.name}»"]
        if group.formed_on and (as_of is None or group.formed_on <= as_of):
            text.append(_("formed on %(date)s") % {"date": day(group.formed_on)})
        else:
            text.append(_("in formation"))
        if members:
            text.append(
                ngettext("with %(n)s institution: %(members)s", "with %(n)s institutions: %(members)s", len(members))
                % {"n": len(members), "members": join(members)}
            )
        sentence = ", ".join(text) + "."
        if held:
            sentence += " " + ngettext(
                "It met %(n)s time (%(dates)s).", "It met %(n)s times (%(dates)s).", len(held)
            ) % {"n": len(held), "dates": join(day(a.starts_at) for a in held)}
        out.append(sentence)
    rest = [a for acts in by_group.values() for a in acts]
    if rest:
        out.append(
            ngettext("%(n)s meeting was held: %(titles)s.", "%(n)s meetings were held: %(titles)s.", len(rest))
            % {"n": len(rest), "titles": join(a.title for a in rest)}
        )
    return out


def other(activities: list[Activity]) -> list[str]:
    """Activities of no particular kind, grouped by the part of their title before a colon."""
    groups = defaultdict(list)
    for a in activities:
        stem, sep, _rest = a.title.partition(":")
        groups[stem.strip() if sep else a.title].append(a)
    out = []
    for stem, acts in groups.items():
        if len(acts) == 1 and acts[0].title == stem:
            out.append(stem + (f" ({_where(acts[0])})." if _where(acts[0]) else "."))
        else:
            out.append(
                _("%(what)s (%(n)s): %(items)s.")
                % {"what": stem, "n": len(acts), "items": join(_item(a) for a in acts)}
            )
    return out


def summarise_titles(activities: list[Activity]) -> list[str]:
    """Titles, those sharing the part before a colon counted once: "Reactivación de ... (12)"."""
    groups = defaultdict(list)
    for a in activities:
        stem, sep, _rest = a.title.partition(":")
        groups[stem.strip() if sep else a.title].append(a)
    return [acts[0].title if len(acts) == 1 else f"{stem} ({len(acts)})" for stem, acts in groups.items()]


def obligations(activities: list[Activity]) -> list[str]:
    by_agreement = defaultdict(set)
    agreements = {}
    for a in activities:
        for ob in a.obligations.all():
            by_agreement[ob.agreement_id].add(a.pk)
            agreements[ob.agreement_id] = ob.agreement
    return [
        ngettext(
            "%(n)s of these activities fulfils obligations of agreement %(code)s with %(counterpart)s.",
            "%(n)s of these activities fulfil obligations of agreement %(code)s with %(counterpart)s.",
            len(ids),
        )
        % {"n": len(ids), "code": agreements[pk].code, "counterpart": with_article(agreements[pk].counterpart.name)}
        for pk, ids in by_agreement.items()
    ]


def not_done(activities: list[Activity]) -> list[str]:
    if not activities:
        return []
    items = [
        f"{a.title} ({a.get_status_display().lower()}{': ' + a.status_reason if a.status_reason else ''})"
        for a in activities
    ]
    return [
        ngettext("%(n)s activity was not done: %(items)s.", "%(n)s activities were not done: %(items)s.", len(items))
        % {"n": len(items), "items": "; ".join(items)}
    ]


def programme_narrative(programme, activities: list[Activity], as_of: date | None = None) -> list[str]:
    done = [a for a in activities if a.status == Activity.Status.DONE]
    by_kind = defaultdict(list)
    for a in sorted(done, key=lambda a: a.starts_at):
        by_kind[a.kind].append(a)
    paragraphs = [
        *trainings(by_kind[Activity.Kind.TRAINING]),
        *operations(by_kind[Activity.Kind.OPERATION]),
        *campaigns(by_kind[Activity.Kind.CAMPAIGN]),
        *meetings(by_kind[Activity.Kind.MEETING], programme.working_groups.all(), as_of),
        *other(by_kind[Activity.Kind.OTHER]),
        *obligations(done),
        *not_done([a for a in activities if a.status != Activity.Status.DONE]),
    ]
    return paragraphs or [_("No activities were recorded for this programme in the year.")]


# The accountability chapters that close the report. Legal basis: only national norms whose content is stable and
# public; anything particular to the council (its creating ordinance, its competences) is its own text in the plan.


def legal_framework() -> list[str]:
    return [
        _(
            "Constitution of the Republic of Ecuador, article 100: in every level of government, citizen participation "
            "strengthens democracy with permanent mechanisms of transparency, accountability and social control; "
            "article 208, number 2: the Council for Citizen Participation and Social Control (CPCCS) establishes the "
            "accountability mechanisms of the institutions and entities of the public sector."
        ),
        _(
            "Organic Code of Territorial Organisation, Autonomy and Decentralisation (COOTAD), article 54, letter n: "
            "among the functions of the municipal government is to create and coordinate the citizen security "
            "councils, with the participation of the National Police, the community and other bodies related to "
            "security, which formulate and execute local policies, plans and the evaluation of results on prevention, "
            "protection, security and citizen coexistence."
        ),
        _(
            "Organic Law of Citizen Participation, articles 88 to 95: accountability is a right of the citizens and "
            "an obligation of the institutions that manage public resources; it is rendered once a year, on the "
            "fulfilment of plans and programmes, the budget and its execution, the agreements and the commitments "
            "made to the community."
        ),
        _(
            "Organic Law of the Council for Citizen Participation and Social Control: the CPCCS sets the mechanisms, "
            "the report format and the stages of each year's accountability process."
        ),
        _(
            "Organic Code of the Entities of Citizen Security and Public Order (COESCOP): it regulates the National "
            "Police and the complementary security entities of the municipal governments, such as the fire brigades "
            "and the municipal control agents, with which the council coordinates its actions."
        ),
    ]


def _indicator_line(i) -> str:
    unit = f" {i.unit}" if i.unit else ""
    scope = "" if i.scope == _("Canton") else f" ({i.scope})"
    return _("%(name)s%(scope)s: %(actual)s of %(target)s%(unit)s (%(pct)s)") % {
        "name": i.name,
        "scope": scope,
        "actual": number(i.actual),
        "target": number(i.target),
        "unit": unit,
        "pct": percent(i.percent),
    }


def _short(sections, *, cantonal: bool):
    """Indicator targets not reached: the canton's, or the parishes' own."""
    return [
        i
        for s in sections
        for i in s.indicators
        if i.target and i.actual < i.target and (i.scope == _("Canton")) == cantonal
    ]


def difficulties(sections, not_done_activities: list[Activity], totals) -> list[str]:
    """What held the year back, as the records show it: activities not done, targets missed, budget not spent."""
    out = not_done(not_done_activities) or [
        _("Every scheduled activity was carried out: no activity was cancelled or postponed in the records.")
    ]
    short = _short(sections, cantonal=True)
    if short:
        out.append(
            ngettext(
                "%(n)s indicator did not reach its target: %(items)s.",
                "%(n)s indicators did not reach their target: %(items)s.",
                len(short),
            )
            % {"n": len(short), "items": "; ".join(_indicator_line(i) for i in short)}
        )
    else:
        out.append(_("Every cantonal indicator of the plan reached its target."))
    parishes = _short(sections, cantonal=False)
    if parishes:
        out.append(
            ngettext(
                "%(n)s target set for a parish was not reached: %(items)s.",
                "%(n)s targets set for a parish were not reached: %(items)s.",
                len(parishes),
            )
            % {"n": len(parishes), "items": "; ".join(_indicator_line(i) for i in parishes)}
        )
    if totals.budget_planned and totals.budget_executed < totals.budget_planned:
        out.append(
            _("%(left)s of the budget planned was not executed (%(executed)s of %(planned)s).")
            % {
                "left": money(totals.budget_planned - totals.budget_executed),
                "executed": money(totals.budget_executed),
                "planned": money(totals.budget_planned),
            }
        )
    return out


def conclusions(year: int, sections, totals, agreements) -> list[str]:
    if not totals.activities:
        return [_("No activities of a plan were recorded for %(year)s.") % {"year": year}]
    rows = [i for s in sections for i in s.indicators if i.target]
    met = [i for i in rows if i.actual >= i.target]
    out = [
        _(
            "The council carried out %(done)s of the %(total)s activities of its %(year)s plan (%(pct)s), in "
            "%(programmes)s programmes, and executed %(executed)s of its budget (%(bpct)s)."
        )
        % {
            "done": number(totals.done),
            "total": number(totals.activities),
            "pct": percent(totals.percent_done),
            "year": year,
            "programmes": number(len(sections)),
            "executed": money(totals.budget_executed),
            "bpct": percent(totals.percent_executed),
        }
    ]
    if rows:
        out.append(
            _("%(met)s of the %(n)s indicator targets of the plan were reached.")
            % {"met": number(len(met)), "n": number(len(rows))}
        )
    if totals.in_kind:
        out.append(
            _("Partners contributed %(value)s in kind, work the council did not have to pay for.")
            % {"value": money(totals.in_kind)}
        )
    if totals.people_trained:
        out.append(
            _("%(people)s people were trained in %(trainings)s trainings.")
            % {"people": number(totals.people_trained), "trainings": number(totals.trainings)}
        )
    for a in agreements:
        fulfilled = sum(1 for o in a.obligations if o.fulfilled_by)
        out.append(
            _(
                "Agreement %(code)s with %(counterpart)s: %(done)s of its %(n)s obligations have activities that "
                "fulfil them."
            )
            % {
                "code": a.code,
                "counterpart": with_article(a.counterpart),
                "done": number(fulfilled),
                "n": number(len(a.obligations)),
            }
        )
    return out


def challenges(year: int, sections, sessions, next_plans) -> list[str]:
    """For the next year: the targets missed, the resolutions still open, and the next plan if it is recorded."""
    out = [
        _("Reach the target missed in %(year)s: %(item)s.") % {"year": year, "item": _indicator_line(i)}
        for i in _short(sections, cantonal=True)
    ]
    out += [
        _("Conclude resolution %(number)s (%(status)s): %(text)s")
        % {"number": r.number, "status": r.status.lower(), "text": r.text}
        for s in sessions
        for r in s.resolutions
        if r.open
    ]
    for plan in next_plans:
        programmes = [p.name for p in plan.programmes.all()]
        out.append(
            _("Carry out the %(plan)s, with its programmes %(programmes)s.")
            % {"plan": plan.name, "programmes": join(programmes)}
            if programmes
            else _("Carry out the %(plan)s.") % {"plan": plan.name}
        )
    if not next_plans:
        out.append(
            _(
                "Record the cantonal plan of %(year)s in Centinela, with its programmes, indicators and budget: it is "
                "not recorded yet."
            )
            % {"year": year + 1}
        )
    return out
