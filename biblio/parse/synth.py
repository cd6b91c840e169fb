"""Labelled training strings for the reference tagger, generated from invented records.

The tagger must never see the benchmark, so it learns from records made up here and
written out in the shapes of common citation styles (APA, Chicago, MLA, Harvard, IEEE,
Vancouver, Nature, ACS, physics short form, Springer, Elsevier, and the web's footnote
styles). Every character of a rendered string knows which field it came from, so the
labels are exact. Word lists are generic: nothing here is specific to one topic.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

FAMILIES = """Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez Anderson Taylor Thomas
Hernandez Moore Martin Jackson Thompson White Lopez Lee Gonzalez Harris Clark Lewis Robinson Walker Perez Hall Young
Allen Sanchez Wright King Scott Green Baker Adams Nelson Hill Ramirez Campbell Mitchell Roberts Carter Phillips Evans
Turner Torres Parker Collins Edwards Stewart Flores Morris Nguyen Murphy Rivera Cook Rogers Morgan Peterson Cooper Reed
Bailey Bell Gomez Kelly Howard Ward Cox Diaz Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price
Myers Long Foster Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes Fisher
Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Kim Gonzales Alexander Ramos Wallace Griffin West
Cole Hayes Chavez Gibson Bryant Ellis Stevens Murray Ford Marshall Owens McDonald Harrison Ruiz Kennedy Wells Alvarez
Woods Mendoza Castillo Olson Webb Washington Tucker Freeman Burns Henry Vasquez Snyder Simpson Crawford Jimenez Porter
Mason Shaw Gordon Wagner Hunter Romero Hicks Dixon Hunt Palmer Robertson Black Holmes Stone Meyer Boyd Mills Warren
Fox Rose Rice Moreno Schmidt Patel Ferguson Nichols Herrera Medina Ryan Fernandez Weaver Daniels Stephens Gardner
Payne Kelley Dunn Pierce Arnold Tran Spencer Peters Hawkins Grant Hansen Castro Hoffman Hart Elliott Cunningham Knight
Müller Schneider Fischer Weber Becker Schulz Wagner Koch Richter Klein Wolf Schröder Neumann Zimmermann Dubois Lefebvre
Moreau Laurent Girard Bonnet Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Wang Li Zhang Liu
Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura
Kobayashi Sato Kato Yoshida Ahmadi Hosseini Mohammadi Rezaei Moradi Karimi Abbasi Rahimi Hashemi Jafari Haddad Khalil
Hassan Ibrahim Mansour Nasser Saleh Farouk Kowalski Nowak Wiśniewski Novák Svoboda Horváth Nagy Kovács Popescu Ionescu
Jansen Janssen Visser Smit Bakker Andersson Johansson Karlsson Nilsson Larsen Hansen Nielsen Petrov Ivanov Smirnov
O'Brien O'Connor McCarthy Doyle Gallagher Murray Byrne Santos Oliveira Silva Costa Pereira Almeida Ferreira Ribeiro
Van-Dyke Al-Hakim Abu-Lughod Saint-Pierre""".split()
GIVENS = """James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph
Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald
Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa
Edward Deborah Ronald Stephanie Timothy Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas
Shirley Eric Angela Jonathan Helen Stephen Anna Larry Brenda Justin Pamela Scott Nicole Brandon Emma Benjamin Samantha
Hans Klaus Jürgen Anna Ursula Pierre Marie Jean Sophie Giulia Marco Luca Francesca Wei Ming Hui Jing Hiroshi Yuki Akira
Reza Ali Maryam Fatemeh Hossein Mohammad Leila Omar Layla Ahmed Fatima Ivan Olga Dmitri Natalia Piotr Agnieszka Lars
Ingrid Sven Astrid Pedro Ana João Maria Carlos Lucía José Carmen Jorge Isabel Rajesh Priya Anil Sunita Kwame Amina
Ervand Shaul Ronen Struan Jeremiah Lydia Judith Arron Dilip Con""".split()
WORDS = """analysis study effects role impact development model evidence approach system theory review case data
method methods structure dynamics evolution patterns response control design assessment influence relationship
regulation factors framework perspective history politics policy society culture identity power state movement
network networks process processes function functions change changes growth health risk learning language memory
behavior behaviour cells protein gene genes expression brain cancer treatment patients clinical trial outcomes
disease infection immune climate water soil energy carbon temperature surface material materials properties
performance optimization algorithm algorithms networks neural deep graph estimation inference statistical
bayesian linear nonlinear spatial temporal quantum magnetic optical thermal electron crystal phase transition
urban rural migration labor market economic economy trade finance banks firms households income inequality
education schools students teachers children women gender family religion church islam revolution war conflict
violence security democracy elections parties opposition regime exile resistance nation empire colonial modern
early late new global local regional national international social political cultural public private critical
comparative experimental theoretical empirical computational novel simple efficient robust dynamic adaptive""".split()
FIELDS = """Physics Chemistry Biology Economics Sociology Psychology History Politics Medicine Neuroscience Ecology
Linguistics Anthropology Geography Philosophy Mathematics Statistics Engineering Education Law Finance Genetics
Immunology Oncology Astronomy Geology Management Marketing Literature Religion""".split()
PLACES = ["New York", "London", "Oxford", "Cambridge", "Berlin", "Paris", "Chicago", "Boston", "Princeton",
          "Washington, DC", "Amsterdam", "Tokyo", "Toronto", "Sydney", "Heidelberg", "Leiden", "New Haven, CT",
          "Cambridge, MA", "Berkeley", "Stanford, CA", "Santa Monica, CA", "Geneva", "Edinburgh", "Brighton",
          "Abingdon", "Thousand Oaks, CA", "Hoboken, NJ", "Dordrecht", "Cham", "Basingstoke", "Philadelphia",
          "Baltimore", "Los Angeles", "San Francisco", "Madrid", "Rome", "Vienna", "Munich", "Delhi", "Beirut",
          "Tehran", "Cairo", "Istanbul", "Ithaca, NY", "Ann Arbor", "Minneapolis", "London and New York"]
PUBLISHERS = ["Oxford University Press", "Cambridge University Press", "Routledge", "Springer", "Wiley",
              "Elsevier", "Sage", "Palgrave Macmillan", "Yale University Press", "Princeton University Press",
              "University of Chicago Press", "MIT Press", "Harvard University Press", "Basic Books", "Penguin",
              "Verso", "Zed Books", "I.B. Tauris", "Columbia University Press", "Stanford University Press",
              "University of California Press", "Blackwell", "Academic Press", "Taylor & Francis", "Norton",
              "Random House", "HarperCollins", "Sussex Academic Press", "Birlinn", "Brill", "De Gruyter",
              "Edward Elgar", "Polity Press", "Hurst", "Syracuse University Press", "Johns Hopkins University Press",
              "RAND Corporation", "World Bank", "National Academies Press", "Pearson", "McGraw-Hill", "Ecco Books"]
ORGS = ["Human Rights Watch", "Amnesty International", "RAND Corporation", "World Health Organization",
        "United Nations", "International Crisis Group", "Brookings Institution", "European Commission",
        "Congressional Research Service", "World Bank", "OECD", "National Institutes of Health",
        "Library of Congress", "Council on Foreign Relations", "International Monetary Fund"]
NEWSPAPERS = ["The New York Times", "The Guardian", "The Washington Post", "The Times", "Le Monde",
              "The Globe and Mail",
              "Los Angeles Times", "The Independent", "The Telegraph", "Financial Times", "The Wall Street Journal",
              "Reuters", "Associated Press", "BBC News", "Al Jazeera", "The Economist", "Der Spiegel", "Haaretz",
              "Chicago Tribune", "The Boston Globe", "The Observer", "Newsweek", "Time", "The Atlantic"]
SITES = ["BBC News", "Al-Monitor", "Foreign Policy", "The Conversation", "Politico", "Vox", "The Intercept",
         "Wikipedia", "Human Rights Watch", "Amnesty International", "UNHCR", "Reuters"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ABBR = {"Journal": "J.", "Review": "Rev.", "Physics": "Phys.", "Chemistry": "Chem.", "Biology": "Biol.",
        "Economics": "Econ.", "Psychology": "Psychol.", "Medicine": "Med.", "International": "Int.",
        "American": "Am.", "Research": "Res.", "Science": "Sci.", "Studies": "Stud.", "Applied": "Appl.",
        "Letters": "Lett.", "Society": "Soc.", "Proceedings": "Proc.", "European": "Eur.", "Quarterly": "Q.",
        "Politics": "Polit.", "History": "Hist.", "Middle": "Mid.", "Eastern": "East."}

Piece = tuple[str, str | None]


@dataclass
class Person:
    family: str
    given: list[str]

    def initials(self, dots: bool = True, space: bool = True) -> str:
        sep = " " if space else ""
        return sep.join(g[0] + ("." if dots else "") for g in self.given)


@dataclass
class Record:
    kind: str
    authors: list[Person] = field(default_factory=list)
    org: str = ""
    editors: list[Person] = field(default_factory=list)
    title: str = ""
    container: str = ""
    abbrev: str = ""
    publisher: str = ""
    place: str = ""
    year: int = 2000
    month: int = 0
    day: int = 0
    volume: str = ""
    issue: str = ""
    pages: str = ""
    edition: str = ""
    doi: str = ""
    url: str = ""
    genre: str = ""
    number: str = ""


PROPER = ["Iran", "Iraq", "Europe", "China", "Africa", "America", "Britain", "France", "Germany", "Japan", "India",
          "Paris", "London", "Tehran", "Baghdad", "Albania", "Islam", "Marx", "Weber", "Shah", "Khomeini", "ALS",
          "DNA", "RNA", "HIV", "COVID-19", "EU", "UN", "NATO", "U.S.", "IEEE", "LMI", "MRI", "GDP"]


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(3, 12))
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words) + 1), rng.choice(PROPER))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words) + 1), str(rng.randint(2, 2020)))
    text = " ".join(words)
    if rng.random() < 0.3:
        text += ": " + " ".join(rng.sample(WORDS, rng.randint(2, 6)))
    if rng.random() < 0.35:
        text = " ".join(w.capitalize() if len(w) > 3 else w for w in text.split())
    elif rng.random() < 0.1:
        text = text.replace(" of ", " of the ")
    return text[0].upper() + text[1:]


SINGLE_JOURNALS = ["Nature", "Science", "Neurology", "Econometrica", "Politix", "Antiquity", "Genetics", "Cell",
                   "Brain", "Blood", "Pediatrics", "Circulation", "Ecology", "Evolution", "Demography", "Synthese",
                   "Mind", "Analysis", "Daedalus", "Iranian Studies", "Middle East Report", "Foreign Affairs",
                   "Survival", "Orbis", "Lancet", "Gut", "Chest", "Radiology", "Nanoscale", "Langmuir",
                   "Macromolecules", "Biometrika", "Automatica", "Meteoritics & Planetary Science", "Le Débat",
                   "Revue française de science politique", "Zeitschrift für Soziologie", "Asahi Shinbun"]


def _journal(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.25:
        name = rng.choice(SINGLE_JOURNALS)
        return name, name
    f = rng.choice(FIELDS)
    pattern = rng.choice(["Journal of {f}", "{f} Review", "{a} Journal of {f}", "{a} {f}", "Annals of {f}",
                          "Proceedings of the {a} Society", "{f} Letters", "International Journal of {f} Studies",
                          "{f} and Society", "Journal of {a} {f}", "Quarterly Journal of {f}", "{f} Research"])
    name = pattern.format(f=f, a=rng.choice(["American", "European", "British", "International", "Applied",
                                              "Middle Eastern", "Comparative", "Modern", "Clinical", "Theoretical"]))
    if rng.random() < 0.2:
        name = name.split()[0] + " " + " ".join(w.lower() for w in name.split()[1:])
    abbrev = " ".join(ABBR.get(w, w) for w in name.split() if w not in {"of", "and", "the"})
    return name, abbrev


def _person(rng: random.Random) -> Person:
    given = [rng.choice(GIVENS)]
    if rng.random() < 0.3:
        given.append(rng.choice(GIVENS))
    return Person(rng.choice(FAMILIES), given)


def record(rng: random.Random) -> Record:
    kind = rng.choices(["article", "book", "chapter", "conference", "report", "thesis", "web", "news"],
                       [50, 16, 10, 8, 5, 3, 3, 5])[0]
    r = Record(kind=kind, year=rng.randint(1950, 2024))
    if (kind == "report" and rng.random() < 0.6) or rng.random() < 0.03:
        r.org = rng.choice(ORGS)
    else:
        r.authors = [_person(rng) for _ in range(rng.choices([1, 2, 3, 4, 6, 9], [35, 25, 15, 10, 8, 7])[0])]
    r.title = _title(rng)
    if rng.random() < 0.15:
        r.month = rng.randint(1, 12)
    if kind == "article":
        r.container, r.abbrev = _journal(rng)
        r.volume = str(rng.randint(1, 300))
        if rng.random() < 0.7:
            r.issue = str(rng.randint(1, 12))
        start = rng.randint(1, 2000)
        r.pages = f"{start}–{start + rng.randint(2, 40)}" if rng.random() < 0.85 else str(start)
    elif kind in ("book", "report", "thesis"):
        r.publisher = rng.choice(PUBLISHERS) if kind != "report" else (r.org or rng.choice(ORGS))
        r.place = rng.choice(PLACES)
        if kind == "book" and rng.random() < 0.15:
            r.edition = rng.choice(["2nd", "3rd", "4th", "Rev."])
        if kind == "thesis":
            r.genre = rng.choice(["PhD thesis", "Doctoral dissertation", "MA thesis", "PhD dissertation"])
            r.publisher = rng.choice(["University of Chicago", "Harvard University", "University of Oxford",
                                      "SOAS, University of London", "Stanford University", "Leiden University"])
        if kind == "report" and rng.random() < 0.5:
            r.number = f"{rng.choice(['MG', 'RR', 'WP', 'No.'])}-{rng.randint(10, 999)}"
    elif kind in ("chapter", "conference"):
        r.container = (_title(rng) if kind == "chapter" else
                       f"Proceedings of the {rng.choice(['International', 'Annual', 'European'])} Conference on "
                       f"{rng.choice(WORDS).capitalize()} {rng.choice(FIELDS)}")
        r.editors = [_person(rng) for _ in range(rng.randint(1, 3))] if kind == "chapter" or rng.random() < 0.2 else []
        r.publisher = rng.choice(PUBLISHERS)
        r.place = rng.choice(PLACES)
        start = rng.randint(1, 500)
        r.pages = f"{start}–{start + rng.randint(5, 30)}"
    elif kind == "news":
        r.container = rng.choice(NEWSPAPERS)
        r.month, r.day = rng.randint(1, 12), rng.randint(1, 28)
        r.year = rng.randint(1975, 2024)
    elif kind == "web":
        r.container = rng.choice(SITES)
        r.year = rng.randint(1998, 2024)
    if rng.random() < (0.3 if kind == "article" else 0.08):
        r.doi = f"10.{rng.randint(1000, 9999)}/{rng.choice(['j', 's', 'a'])}{rng.randint(10000, 999999)}"
    if kind == "web" or (kind == "news" and rng.random() < 0.5) or rng.random() < 0.05:
        host = rng.choice(["www.example.org", "example.com", "news.example.net", "www.univ.edu"])
        r.url = f"https://{host}/{rng.choice(WORDS)}/{rng.randint(100, 99999)}"
    return r


# -- name lists -------------------------------------------------------------

def names(rng: random.Random, people: list[Person], style: str, label: str = "author") -> list[Piece]:
    """People in one of many list styles; ``et al.`` truncation now and then."""
    if not people:
        return []
    shown = people
    etal = False
    if len(people) > 3 and rng.random() < 0.5:
        shown, etal = people[: rng.choice([1, 3])], True
    conj = rng.choice([" & ", " and ", ", & ", ", and ", ", "])
    out: list[str] = []
    for i, p in enumerate(shown):
        if style == "inverted-initials":
            out.append(f"{p.family}, {p.initials()}")
        elif style == "inverted-full":
            out.append(f"{p.family}, {' '.join(p.given)}" if i == 0 or rng.random() < 0.8
                       else f"{' '.join(p.given)} {p.family}")
        elif style == "initials-first":
            out.append(f"{p.initials()} {p.family}")
        elif style == "vancouver":
            out.append(f"{p.family} {p.initials(dots=False, space=False)}")
        elif style == "full":
            out.append(f"{' '.join(p.given)} {p.family}")
        else:  # first inverted, rest direct (Chicago, MLA)
            out.append(f"{p.family}, {' '.join(p.given)}" if i == 0 else f"{' '.join(p.given)} {p.family}")
    if style == "vancouver":
        text = ", ".join(out)
    elif len(out) == 1:
        text = out[0]
    else:
        text = ", ".join(out[:-1]) + conj + out[-1] if not etal else ", ".join(out)
    if etal:
        text = text.rstrip(".") + rng.choice([", et al.", " et al.", " et al", ", ..."])
    return [(text, label)]


def authors(rng: random.Random, r: Record, style: str) -> list[Piece]:
    if r.org:
        return [(r.org, "author")]
    return names(rng, r.authors, style)


def pages(rng: random.Random, r: Record, prefix: bool | None = None) -> list[Piece]:
    if not r.pages:
        return []
    value = r.pages.replace("–", rng.choice(["–", "-", "--", "–"]))
    if prefix is None:
        prefix = rng.random() < 0.3
    if prefix:
        return [(("pp. " if "–" in r.pages else "p. ") + value, "pages")]
    return [(value, "pages")]


def date(rng: random.Random, r: Record, paren: bool) -> list[Piece]:
    suffix = rng.choice(["", "", "", "", "a", "b"])
    text = f"{r.year}{suffix}"
    if r.month and rng.random() < 0.5:
        text = f"{r.year}, {MONTHS[r.month - 1]}" + (f" {r.day}" if r.day else "") if paren else \
            f"{MONTHS[r.month - 1][:3]}. {r.year}"
    return [(f"({text})" if paren else text, "date")]


def container(r: Record, rng: random.Random) -> str:
    return r.abbrev if r.abbrev and rng.random() < 0.35 else r.container


def doi_url(rng: random.Random, r: Record) -> list[Piece]:
    out: list[Piece] = []
    if r.doi:
        form = rng.choice(["https://doi.org/{d}", "doi:{d}", "doi: {d}", "DOI {d}", "{d}"])
        out.append((" " + form.format(d=r.doi), "doi"))
    elif r.url:
        if rng.random() < 0.3:
            out.append((rng.choice([" Retrieved from ", " Available at: ", " URL "]), None))
            out.append((r.url, "url"))
        else:
            out.append((" " + r.url, "url"))
    return out


# -- styles -----------------------------------------------------------------

def apa(rng: random.Random, r: Record) -> list[Piece]:
    p: list[Piece] = [*authors(rng, r, "inverted-initials"), (" ", None), *date(rng, r, True), (". ", None)]
    if r.kind == "article":
        p += [(r.title, "title"), (". ", None), (container(r, rng), "container-title"), (", ", None),
              (r.volume, "volume")]
        if r.issue:
            p += [(f"({r.issue})", "issue")]
        p += [(", ", None), *pages(rng, r, False), (".", None)]
    elif r.kind in ("chapter", "conference"):
        p += [(r.title, "title"), (". In ", None)]
        if r.editors:
            p += [*names(rng, r.editors, "initials-first", "editor"), (" (Eds.), " if len(r.editors) > 1
                                                                        else " (Ed.), ", None)]
        p += [(r.container, "container-title"), (" (", None), *pages(rng, r, True), ("). ", None),
              (r.publisher, "publisher"), (".", None)]
    elif r.kind == "news":
        p += [(r.title, "title"), (". ", None), (r.container, "container-title"), (".", None)]
    elif r.kind == "web":
        p += [(r.title, "title"), (". ", None), (r.container, "publisher"), (".", None)]
    else:
        p += [(r.title, "title")]
        if r.edition:
            p += [(" (", None), (f"{r.edition} ed.", "edition"), (")", None)]
        if r.genre:
            p += [(" [", None), (f"{r.genre}", "genre"), (", ", None), (r.publisher, "publisher"), ("]", None)]
        if r.number:
            p += [(" (", None), (f"Report {r.number}", "note"), (")", None)]
        p += [(". ", None)]
        if rng.random() < 0.5 and not r.genre:
            p += [(r.place, "location"), (": ", None)]
        if not r.genre:
            p += [(r.publisher, "publisher"), (".", None)]
    return p + doi_url(rng, r)


def chicago(rng: random.Random, r: Record, author_date: bool) -> list[Piece]:
    p: list[Piece] = [*authors(rng, r, "mixed"), (". ", None)]
    if author_date:
        p += [*date(rng, r, False), (". ", None)]
    quoted = r.kind in ("article", "chapter", "conference", "news", "web")
    p += [("“" + r.title + ".”" if quoted else r.title, "title"), (" " if quoted else ". ", None)]
    if r.kind == "article":
        p += [(container(r, rng), "container-title"), (" ", None), (r.volume, "volume")]
        if r.issue:
            p += [(", no. ", None), (r.issue, "issue")]
        if not author_date:
            p += [(" ", None), *date(rng, r, True)]
        p += [(": ", None), *pages(rng, r, False), (".", None)]
    elif r.kind in ("chapter", "conference"):
        p += [("In ", None), (r.container, "container-title")]
        if r.editors:
            p += [(", edited by ", None), *names(rng, r.editors, "full", "editor")]
        p += [(", ", None), *pages(rng, r, False), (". ", None), (r.place, "location"), (": ", None),
              (r.publisher, "publisher")]
        p += [(", ", None), *date(rng, r, False), (".", None)] if not author_date else [(".", None)]
    elif r.kind in ("news", "web"):
        p += [(r.container, "container-title"), (", ", None)]
        if not author_date:
            p += [(f"{MONTHS[(r.month or 1) - 1]} {r.day or 1}, {r.year}", "date"), (".", None)]
        else:
            p += [(f"{MONTHS[(r.month or 1) - 1]} {r.day or 1}", "date"), (".", None)]
    else:
        if r.genre:
            p += [(r.genre, "genre"), (", ", None), (r.publisher, "publisher")]
        else:
            p += [(r.place, "location"), (": ", None), (r.publisher, "publisher")]
        p += [(", ", None), *date(rng, r, False), (".", None)] if not author_date else [(".", None)]
    return p + doi_url(rng, r)


def mla(rng: random.Random, r: Record) -> list[Piece]:
    p: list[Piece] = [*authors(rng, r, "mixed"), (". ", None)]
    if r.kind in ("article", "chapter", "conference", "news", "web"):
        p += [("“" + r.title + ".”", "title"), (" ", None), (r.container if r.kind != "article" else
                                                             container(r, rng), "container-title")]
        if r.kind == "article":
            p += [(", vol. ", None), (r.volume, "volume")]
            if r.issue:
                p += [(", no. ", None), (r.issue, "issue")]
            p += [(", ", None), *date(rng, r, False), (", ", None), *pages(rng, r, True), (".", None)]
        elif r.kind in ("chapter", "conference"):
            if r.editors:
                p += [(", edited by ", None), *names(rng, r.editors, "full", "editor")]
            p += [(", ", None), (r.publisher, "publisher"), (", ", None), *date(rng, r, False), (", ", None),
                  *pages(rng, r, True), (".", None)]
        else:
            p += [(", ", None), (f"{r.day or 1} {MONTHS[(r.month or 1) - 1][:3]}. {r.year}", "date"), (".", None)]
    else:
        p += [(r.title, "title"), (". ", None), (r.publisher, "publisher"), (", ", None), *date(rng, r, False),
              (".", None)]
    return p + doi_url(rng, r)


def harvard(rng: random.Random, r: Record) -> list[Piece]:
    p: list[Piece] = [*authors(rng, r, "inverted-initials"), (" ", None), *date(rng, r, True), (" ", None)]
    if r.kind == "article":
        p += [("‘" + r.title + "’", "title"), (", ", None), (container(r, rng), "container-title"), (", ", None),
              (r.volume, "volume")]
        if r.issue:
            p += [(f"({r.issue})", "issue")]
        p += [(", ", None), *pages(rng, r, True), (".", None)]
    elif r.kind in ("chapter", "conference"):
        p += [("‘" + r.title + "’", "title"), (", in ", None)]
        if r.editors:
            p += [*names(rng, r.editors, "inverted-initials", "editor"), (" (eds) ", None)]
        p += [(r.container, "container-title"), (". ", None), (r.place, "location"), (": ", None),
              (r.publisher, "publisher"), (", ", None), *pages(rng, r, True), (".", None)]
    elif r.kind in ("news", "web"):
        p += [("‘" + r.title + "’", "title"), (", ", None), (r.container, "container-title"), (", ", None),
              (f"{r.day or 1} {MONTHS[(r.month or 1) - 1]}", "date"), (".", None)]
    else:
        p += [(r.title, "title"), (". ", None)]
        if r.edition:
            p += [(f"{r.edition} edn", "edition"), (". ", None)]
        p += [(r.place, "location"), (": ", None), (r.publisher, "publisher"), (".", None)]
    return p + doi_url(rng, r)


def ieee(rng: random.Random, r: Record, number: int) -> list[Piece]:
    p: list[Piece] = [(f"[{number}] ", "citation-number")] if rng.random() < 0.7 else []
    p += [*authors(rng, r, "initials-first"), (", ", None)]
    if r.kind == "article":
        p += [("“" + r.title + ",”", "title"), (" ", None), (container(r, rng), "container-title"), (", vol. ", None),
              (r.volume, "volume")]
        if r.issue:
            p += [(", no. ", None), (r.issue, "issue")]
        p += [(", ", None), *pages(rng, r, True), (", ", None), *date(rng, r, False), (".", None)]
    elif r.kind in ("chapter", "conference"):
        p += [("“" + r.title + ",”", "title"), (" in ", None), (r.container, "container-title")]
        p += [(", ", None), (r.place, "location"), (", ", None), *date(rng, r, False), (", ", None),
              *pages(rng, r, True), (".", None)]
    else:
        p += [(r.title, "title"), (". ", None), (r.place, "location"), (": ", None), (r.publisher, "publisher"),
              (", ", None), *date(rng, r, False), (".", None)]
    return p + doi_url(rng, r)


def vancouver(rng: random.Random, r: Record, number: int) -> list[Piece]:
    p: list[Piece] = [(f"{number}. ", "citation-number")] if rng.random() < 0.6 else []
    p += [*authors(rng, r, "vancouver"), (". ", None), (r.title, "title"), (". ", None)]
    if r.kind == "article":
        p += [(r.abbrev or r.container, "container-title"), (". ", None), (str(r.year), "date"), (";", None),
              (r.volume, "volume")]
        if r.issue:
            p += [(f"({r.issue})", "issue")]
        p += [(":", None), *pages(rng, r, False), (".", None)]
    else:
        p += [(r.place, "location"), (": ", None), (r.publisher, "publisher"), ("; ", None), (str(r.year), "date"),
              (".", None)]
    return p + doi_url(rng, r)


def nature(rng: random.Random, r: Record, number: int) -> list[Piece]:
    p: list[Piece] = [(f"{number}. ", "citation-number")] if rng.random() < 0.5 else []
    p += [*authors(rng, r, "inverted-initials"), (" ", None)]
    if r.kind == "article":
        p += [(r.title, "title"), (". ", None), (r.abbrev or r.container, "container-title"), (" ", None),
              (r.volume, "volume"), (", ", None), *pages(rng, r, False), (" ", None), *date(rng, r, True),
              (".", None)]
    else:
        p += [(r.title, "title"), (" (", None), (r.publisher, "publisher"), (", ", None), (str(r.year), "date"),
              (").", None)]
    return p + doi_url(rng, r)


def acs(rng: random.Random, r: Record) -> list[Piece]:
    people = names(rng, r.authors, "inverted-initials") if r.authors else [(r.org, "author")]
    text = people[0][0].replace(" & ", "; ").replace(" and ", "; ")
    p: list[Piece] = [(text, "author"), (" ", None), (r.title, "title"), (". ", None)]
    if r.kind == "article":
        p += [(r.abbrev or r.container, "container-title"), (" ", None), (str(r.year), "date"), (", ", None),
              (r.volume, "volume"), (", ", None), *pages(rng, r, False), (".", None)]
    else:
        p += [(r.publisher, "publisher"), (": ", None), (r.place, "location"), (", ", None), (str(r.year), "date"),
              (".", None)]
    return p + doi_url(rng, r)


def physics(rng: random.Random, r: Record, number: int) -> list[Piece]:
    p: list[Piece] = [(f"[{number}] ", "citation-number")] if rng.random() < 0.5 else []
    p += [*authors(rng, r, "initials-first"), (", ", None)]
    if r.kind == "article":
        p += [(r.abbrev or r.container, "container-title"), (" ", None), (r.volume, "volume"), (", ", None),
              (r.pages.split("–")[0], "pages"), (" ", None), *date(rng, r, True), (".", None)]
    else:
        p += [(r.title, "title"), (" (", None), (r.publisher, "publisher"), (", ", None), (r.place, "location"),
              (", ", None), (str(r.year), "date"), (").", None)]
    return p


def springer(rng: random.Random, r: Record) -> list[Piece]:
    p: list[Piece] = [*authors(rng, r, "vancouver"), (" ", None), *date(rng, r, True), (" ", None), (r.title, "title"),
                      (". ", None)]
    if r.kind == "article":
        p += [(r.abbrev or r.container, "container-title"), (" ", None), (r.volume, "volume")]
        if r.issue:
            p += [(f"({r.issue})", "issue")]
        p += [(":", None), *pages(rng, r, False)]
    else:
        p += [(r.publisher, "publisher"), (", ", None), (r.place, "location")]
    return p + doi_url(rng, r)


def elsevier(rng: random.Random, r: Record, number: int) -> list[Piece]:
    p: list[Piece] = [(f"[{number}] ", "citation-number")] if rng.random() < 0.6 else []
    p += [*authors(rng, r, "initials-first"), (", ", None), (r.title, "title"), (", ", None)]
    if r.kind == "article":
        p += [(r.abbrev or r.container, "container-title"), (" ", None), (r.volume, "volume"), (" ", None),
              *date(rng, r, True), (" ", None), *pages(rng, r, False), (".", None)]
    else:
        p += [(r.publisher, "publisher"), (", ", None), (r.place, "location"), (", ", None), (str(r.year), "date"),
              (".", None)]
    return p + doi_url(rng, r)


def web_note(rng: random.Random, r: Record) -> list[Piece]:
    """Footnote styles seen on the web: ``Title. Paper. Month D, YYYY.`` and ``Last, First. (Year). Title.``"""
    when = f"{MONTHS[(r.month or 1) - 1]} {r.day or rng.randint(1, 28)}, {r.year}"
    if r.kind in ("news", "web", "article") and rng.random() < 0.7:
        p: list[Piece] = []
        if r.authors and rng.random() < 0.4:
            p += [(f"{r.authors[0].family}, {' '.join(r.authors[0].given)}", "author"), (". ", None)]
        p += [(r.title.title() if rng.random() < 0.5 else r.title, "title"), (". ", None)]
        p += [(r.container, "container-title"), (". ", None),
              (when, "date"), (".", None)]
        return p
    p = [*authors(rng, r, "mixed"), (". ", None), (f"({r.year})", "date"), (". ", None), (r.title, "title"),
         (". ", None), (r.place or rng.choice(PLACES), "location"), (": ", None),
         (r.publisher or rng.choice(PUBLISHERS), "publisher"), (".", None)]
    return p


def humanities(rng: random.Random, r: Record) -> list[Piece]:
    """Comma-separated notes: ``Family, Given, Title, Publisher (Year), p. 5`` and kin."""
    who: list[Piece]
    if r.org:
        who = [(r.org, "author")]
    elif rng.random() < 0.5:
        p0 = r.authors[0]
        who = [(f"{p0.family}, {' '.join(p0.given)}", "author")]
    else:
        who = names(rng, r.authors[:2], "full")
    title = r.title if rng.random() < 0.7 else r.title.title()
    variant = rng.randint(0, 4)
    locator = rng.choice([f"p.\u00a0{rng.randint(1, 400)}", f"pp. {rng.randint(1, 200)}–{rng.randint(201, 400)}",
                          f"page {rng.choice(['vi', 'xii', str(rng.randint(1, 300))])}", ""])
    p: list[Piece] = [*who]
    if variant == 0:
        p += [(", ", None), (title, "title"), (", ", None), (r.publisher or rng.choice(PUBLISHERS), "publisher"),
              (" ", None), (f"({r.year})", "date")]
    elif variant == 1:
        p += [(", ", None), (title, "title"), (" ", None), (f"({r.year})", "date")]
    elif variant == 2:
        p += [(", ", None), (title, "title"), (", ", None), (r.publisher or rng.choice(PUBLISHERS), "publisher"),
              (", ", None), (r.place or rng.choice(PLACES), "location"), (", ", None), (str(r.year), "date")]
    elif variant == 3:
        p += [(" ", None), (title, "title"), (", ", None), (r.publisher or rng.choice(PUBLISHERS), "publisher"),
              (" ", None), (str(r.year), "date")]
    else:
        p += [(", ", None), (title, "title")]
    if locator:
        p += [(", " if variant != 3 else " ", None), (locator, "note")]
    return [*p, (".", None)] if rng.random() < 0.5 else p


def labelled_note(rng: random.Random, r: Record) -> list[Piece]:
    """``Title. Author: Given Family. Publisher: Name, Year. Page 270.``"""
    person = r.authors[0] if r.authors else Person(rng.choice(FAMILIES), [rng.choice(GIVENS)])
    p: list[Piece] = [(r.title, "title"), (". Author: ", None), (f"{' '.join(person.given)} {person.family}", "author"),
                      (". Publisher: ", None), (r.publisher or rng.choice(PUBLISHERS), "publisher"), (", ", None),
                      (str(r.year), "date"), (".", None)]
    if rng.random() < 0.6:
        p += [(" ", None), (f"Page {rng.randint(1, 400)}.", "note")]
    return p


STYLES: list[tuple[Callable[..., list[Piece]], int]] = [
    (humanities, 6), (labelled_note, 1),
    (apa, 18), (lambda g, r: chicago(g, r, True), 7), (lambda g, r: chicago(g, r, False), 8), (mla, 7),
    (harvard, 7), (ieee, 8), (vancouver, 6), (nature, 6), (acs, 4), (physics, 4), (springer, 5), (elsevier, 6),
    (web_note, 6),
]
NUMBERED = {ieee, vancouver, nature, physics, elsevier}


def render(rng: random.Random, r: Record) -> list[Piece]:
    style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
    pieces = style(rng, r, rng.randint(1, 120)) if style in NUMBERED else style(rng, r)
    if pieces and pieces[0][1] != "citation-number" and rng.random() < 0.12:
        number = rng.randint(1, 150)
        pieces.insert(0, (rng.choice([f"{number} ", f"{number}. ", f"({number}) ", f"[{number}] "]),
                          "citation-number"))
    if rng.random() < 0.05:  # upper-case family names, as some styles print them
        pieces = [(t.upper(), lab) if lab == "author" else (t, lab) for t, lab in pieces]
    return pieces


def labelled(pieces: list[Piece]) -> tuple[list[str], list[str]]:
    """Tokens (white-space split) and one label per token (its first labelled character's)."""
    text = "".join(t for t, _ in pieces)
    labels: list[str | None] = []
    for piece, label in pieces:
        labels.extend([label] * len(piece))
    tokens, tags = [], []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < len(text) and not text[j].isspace():
            j += 1
        token_labels = [lab for lab in labels[i:j] if lab]
        tokens.append(text[i:j])
        tags.append(token_labels[0] if token_labels else "other")
        i = j
    return tokens, tags


def examples(n: int, seed: int = 7) -> list[tuple[list[str], list[str]]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        tokens, tags = labelled(render(rng, record(rng)))
        if tokens:
            out.append((tokens, tags))
    return out
