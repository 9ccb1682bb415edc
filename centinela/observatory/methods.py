"""The catalogue of analysis methods the observatory offers: name, what each answers in plain words, its form and
its references. The index page, the form pages and the result pages read it."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from centinela.observatory import forms


@dataclass(frozen=True)
class Method:
    name: str          # the job kind is "observatory.<name>"
    url_name: str      # observatory:<url_name>
    title: object
    question: object
    how: object
    references: tuple[str, ...]
    form: type


METHODS = [
    Method("kde", "kde", _("Kernel density (KDE)"),
           _("Where do incidents concentrate? A smooth surface of incidents per km², on a grid."),
           _("Each incident spreads over a circle (the bandwidth) with a weight that fades with distance; the "
             "density of each cell is the sum of what reaches its centre. With no bandwidth given, it is chosen "
             "from the data with ArcGIS Pro's rule."),
           ("Silverman (1986), Density Estimation for Statistics and Data Analysis.",
            "Chainey, Tompson & Uhlig (2008), The utility of hotspot mapping for predicting spatial patterns of "
            "crime, Security Journal 21.",
            "CrimeStat IV, chapter 10 (kernel density)."),
           forms.KdeForm),
    Method("gistar", "gistar", _("Hot spots (Getis-Ord Gi*)"),
           _("Which cells have significantly more (hot spot) or fewer (cold spot) incidents around them than "
             "chance would give?"),
           _("Incidents are counted on a grid; each cell's count plus its neighbours' is compared with what random "
             "rearrangements of the counts give. Cells are marked hot or cold at 90, 95 or 99 percent confidence, after "
             "the false discovery rate correction."),
           ("Getis & Ord (1992), The analysis of spatial association by use of distance statistics, "
            "Geographical Analysis 24(3).",
            "Ord & Getis (1995), Local spatial autocorrelation statistics, Geographical Analysis 27(4).",
            "Benjamini & Hochberg (1995), Controlling the false discovery rate, JRSS-B 57(1)."),
           forms.GiStarForm),
    Method("near_repeat", "near_repeat", _("Near repeat (Knox)"),
           _("After an incident, are there more incidents nearby in the following days than chance would give?"),
           _("Every pair of incidents is counted by its distance and its time apart; the table compares the "
             "pairs observed with those expected if times were shuffled among the places (Knox ratio), with a "
             "permutation p-value per cell, as Ratcliffe's Near Repeat Calculator."),
           ("Knox (1964), The detection of space-time interactions, Applied Statistics 13(1).",
            "Ratcliffe (2009), Near Repeat Calculator v1.3, Temple University.",
            "Johnson et al. (2007), Space-time patterns of risk, Journal of Quantitative Criminology 23."),
           forms.NearRepeatForm),
    Method("coverage", "coverage", _("Camera coverage"),
           _("What share of the incidents happened in view of a camera that was working at the time?"),
           _("Each camera watches a sector (its bearing, angle and range; a full circle for panning cameras). An "
             "incident counts as seen when it lies in the sector of a camera that was working when it happened: "
             "installed, in service by its status history and not down in the monitor's records. Shown per "
             "camera and per parish, with the sectors and the incidents in and out of view on the map."),
           ("Ratcliffe, Taniguchi & Taylor (2009), The crime reduction effects of public CCTV cameras: a "
            "multi-method spatial approach, Justice Quarterly 26(4).",
            "Church & ReVelle (1974), The maximal covering location problem, Papers of the Regional Science "
            "Association 32."),
           forms.CoverageForm),
    Method("placement", "placement", _("Where to place cameras"),
           _("Where would k new cameras watch the most incidents, given the cameras already in service?"),
           _("Candidate sites (places of the gazetteer and a grid over the urban area) each watch the incidents "
             "within a radius; the maximal covering location problem picks the k sites that cover the most "
             "incidents not yet watched, solved exactly with HiGHS or greedily."),
           ("Church & ReVelle (1974), The maximal covering location problem, Papers of the Regional Science "
            "Association 32.",
            "Huangfu & Hall (2018), Parallelizing the dual revised simplex method, Mathematical Programming "
            "Computation 10."),
           forms.PlacementForm),
    Method("impact", "impact", _("Impact of cameras or interventions"),
           _("Did incidents fall around the cameras (or in the barrios) where something was done, compared with "
             "the rest of the city over the same periods?"),
           _("Incidents are counted before and after in the treated area, in a buffer ring around it (where crime "
             "may move to) and in a control area; the weighted displacement quotient and the relative change say "
             "whether the change is more than the city's."),
           ("Bowers & Johnson (2003), Measuring the geographical displacement and diffusion of benefit effects of "
            "crime prevention activity, Journal of Quantitative Criminology 19(3).",
            "Welsh & Farrington (2009), Public area CCTV and crime prevention, Justice Quarterly 26(4)."),
           forms.ImpactForm),
    Method("accuracy", "accuracy", _("Accuracy of hot-spot maps"),
           _("Would a hot-spot map of past incidents have pointed to where the next incidents happened?"),
           _("A map (KDE or Gi*) is drawn from the training period; its hottest cells covering a share of the "
             "area are the prediction; the hit rate, the prediction accuracy index (PAI) and the prediction "
             "efficiency index (PEI) measure how many test-period incidents fell in them."),
           ("Chainey, Tompson & Uhlig (2008), Security Journal 21.",
            "Hunt (2016), Do crime hot spots move? Exploring the effects of the modifiable areal unit problem and "
            "modifiable temporal unit problem on crime hot spot stability, PhD thesis (PEI).",
            "Adepeju, Rosser & Cheng (2016), Novel evaluation metrics for sparse spatio-temporal point process "
            "hotspot predictions, Crime Science 5."),
           forms.AccuracyForm),
]
BY_NAME = {m.name: m for m in METHODS}
