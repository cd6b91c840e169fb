"""A lookup table of well-known issuers: think tanks, NGOs, UN bodies, governments, courts, news outlets.

Prose names its sources loosely (``Rand``, ``RAND``, ``the RAND Corporation``; ``the Guardian``,
``The Guardian``; ``HRW``), while a bibliography needs one spelling per issuer, so that a mention in
one document and a footnote in another can meet. Every alias is looked up by its normalised form
and yields the issuer's canonical name and its category, which says what kind of work such an issuer
publishes (a court hands down judgments, a think tank issues reports, a newspaper prints articles).

The table is general on purpose: it names organisations that any contested topic cites, never the
actors of one topic. Names the table lacks are still recognised by their shape where that is safe
(``Balkan Post``, ``Ofogh State TV``): see :func:`outlet_category`.

Alias syntax in :data:`TABLE`: ``the Guardian`` (a leading lower-case ``the``) means the bare word
counts only after an article, since ``guardian`` is also a common noun; acronyms (all capitals) must
match in capitals, so ``who`` is never the World Health Organization.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# category -> the CSL type of what such an issuer publishes
CATEGORY_TYPES = {
    "think-tank": "report",
    "ngo": "report",
    "un": "report",
    "government": "report",
    "intelligence": "report",
    "court": "legal_case",
    "news": "article-newspaper",
    "magazine": "article-magazine",
    "wire": "article-newspaper",
    "tv": "broadcast",
    "radio": "broadcast",
    "org": "document",
}
# categories whose works are periodical pieces: the outlet is the container, not the author
CONTAINER_CATEGORIES = frozenset({"news", "magazine", "tv", "radio"})
REPORTING_CATEGORIES = frozenset({"think-tank", "ngo", "un", "government", "intelligence", "org"})

# canonical | category | aliases (';'-separated; a long row is split in two with the same canonical name);
# a leading "!" keeps a common-word name from being an alias
TABLE = """
RAND Corporation | think-tank | RAND; Rand; RAND Corp; Rand Corporation; Rand Corp
Brookings Institution | think-tank | Brookings; Brookings Institute
Council on Foreign Relations | think-tank | CFR
Carnegie Endowment for International Peace | think-tank | Carnegie Endowment
Chatham House | think-tank | Royal Institute of International Affairs
International Crisis Group | think-tank | Crisis Group; ICG
Heritage Foundation | think-tank |
American Enterprise Institute | think-tank | AEI
Center for Strategic and International Studies | think-tank | CSIS
Washington Institute for Near East Policy | think-tank | Washington Institute
Hudson Institute | think-tank |
Cato Institute | think-tank |
Atlantic Council | think-tank |
Middle East Institute | think-tank |
Wilson Center | think-tank | Woodrow Wilson Center; Woodrow Wilson International Center for Scholars
Stockholm International Peace Research Institute | think-tank | SIPRI
International Institute for Strategic Studies | think-tank | IISS
Royal United Services Institute | think-tank | RUSI
Foundation for Defense of Democracies | think-tank | FDD
Institute for the Study of War | think-tank | ISW
European Council on Foreign Relations | think-tank | ECFR
Pew Research Center | think-tank | Pew
Soufan Center | think-tank | Soufan Group
Quincy Institute for Responsible Statecraft | think-tank | Quincy Institute
Middle East Forum | think-tank |
Human Rights Watch | ngo | HRW
Amnesty International | ngo | Amnesty
Reporters Without Borders | ngo | Reporters sans frontières; RSF
Committee to Protect Journalists | ngo | CPJ
Freedom House | ngo |
Transparency International | ngo |
International Committee of the Red Cross | ngo | ICRC; Red Cross
Médecins Sans Frontières | ngo | Medecins Sans Frontieres; Doctors Without Borders; MSF
International Federation for Human Rights | ngo | FIDH
Physicians for Human Rights | ngo |
Global Witness | ngo |
Oxfam | ngo | Oxfam International
Southern Poverty Law Center | ngo | SPLC
Anti-Defamation League | ngo | ADL
Open Society Foundations | ngo |
International Federation of Journalists | ngo | IFJ
United Nations | un | UN; U.N.
UN Security Council | un | United Nations Security Council; Security Council; UNSC
UN General Assembly | un | United Nations General Assembly; General Assembly
UN Human Rights Council | un | United Nations Human Rights Council; Human Rights Council; UNHRC
Office of the UN High Commissioner for Human Rights | un | OHCHR
UN High Commissioner for Refugees | un | United Nations High Commissioner for Refugees; UNHCR
UN Assistance Mission for Iraq | un | United Nations Assistance Mission for Iraq; UNAMI
UNICEF | un |
UNESCO | un |
World Health Organization | un | WHO
International Atomic Energy Agency | un | IAEA
UN Office on Drugs and Crime | un | UNODC
World Bank | un |
International Monetary Fund | un | IMF
US Department of State | government | State Department; Department of State; US State Department
US Department of State | government | U.S. State Department; U.S. Department of State; United States Department of State
US Department of Defense | government | Department of Defense; Defense Department; Pentagon; DoD
US Department of Justice | government | Department of Justice; Justice Department; DOJ
US Department of the Treasury | government | Treasury Department; US Treasury; U.S. Treasury
Congressional Research Service | government | CRS
Government Accountability Office | government | GAO
European Commission | government |
European Parliament | government |
European Union | government | EU
Council of the European Union | government | Council of the EU
Home Office | government | UK Home Office
Foreign and Commonwealth Office | government | Foreign Office; FCO; Foreign, Commonwealth & Development Office; FCDO
House of Commons | government |
Bundesamt für Verfassungsschutz | government | BfV
Bundesamt für Verfassungsschutz | government | Verfassungsschutz; Federal Office for the Protection of the Constitution
Central Intelligence Agency | intelligence | CIA
Federal Bureau of Investigation | intelligence | FBI
National Security Agency | intelligence | NSA
Defense Intelligence Agency | intelligence | DIA
Security Service (MI5) | intelligence | MI5
Secret Intelligence Service (MI6) | intelligence | MI6
Mossad | intelligence |
Bundesnachrichtendienst | intelligence | BND
Direction générale de la sécurité extérieure | intelligence | DGSE
Ministry of Intelligence (Iran) | intelligence | MOIS
Ministry of Intelligence (Iran) | intelligence | Ministry of Intelligence and Security; Iranian Ministry of Intelligence
Proscribed Organisations Appeal Commission | court | Proscribed Organizations Appeal Commission; POAC
Special Immigration Appeals Commission | court | SIAC
High Court of Justice | court | High Court
Court of Appeal | court |
Supreme Court of the United Kingdom | court | UK Supreme Court
Supreme Court of the United States | court | US Supreme Court; U.S. Supreme Court; United States Supreme Court
US Court of Appeals for the District of Columbia Circuit | court | D.C. Circuit; DC Circuit
US Court of Appeals for the District of Columbia Circuit | court | D.C. Circuit Court of Appeals
European Court of Human Rights | court | ECtHR
Court of Justice of the European Union | court | CJEU; European Court of Justice; ECJ
General Court of the European Union | court | EU General Court; Court of First Instance
International Court of Justice | court | ICJ
International Criminal Court | court | ICC
Conseil d'État | court | Conseil d'Etat; French Council of State
Federal Constitutional Court of Germany | court | Bundesverfassungsgericht; Federal Constitutional Court
The New York Times | news | New York Times; NYT; the Times of New York
The Washington Post | news | Washington Post; WaPo
The Wall Street Journal | news | Wall Street Journal; WSJ
The Guardian | news | the Guardian; Guardian newspaper
The Observer | news | the Observer
The Times | news | the Times; Times of London
The Sunday Times | news | Sunday Times
The Daily Telegraph | news | Daily Telegraph; the Telegraph; Telegraph newspaper
The Independent | news | the Independent
Financial Times | news | FT
The Economist | magazine | the Economist
Los Angeles Times | news | LA Times; L.A. Times
USA Today | news |
The Washington Times | news | Washington Times
New York Post | news |
The Boston Globe | news | Boston Globe
The Globe and Mail | news | Globe and Mail
Toronto Star | news |
Daily Mail | news | Mail Online; MailOnline
Le Monde | news |
Le Figaro | news |
Le Point | magazine |
L'Express | magazine |
Der Spiegel | magazine | Spiegel; Spiegel Online
Die Zeit | news |
Frankfurter Allgemeine Zeitung | news | FAZ
Süddeutsche Zeitung | news | Suddeutsche Zeitung
El País | news | El Pais
Corriere della Sera | news |
La Repubblica | news |
Haaretz | news |
The Jerusalem Post | news | Jerusalem Post
The Times of Israel | news | Times of Israel
Al Jazeera | tv | Al-Jazeera; Aljazeera; Al Jazeera English
Al Arabiya | tv | Al-Arabiya
Asharq Al-Awsat | news | Asharq al-Awsat; Asharq Alawsat
The National | news | the National
Gulf News | news |
Tehran Times | news |
Kayhan | news | Keyhan
Middle East Eye | news |
Middle East Monitor | news |
Al-Monitor | news | Al Monitor
Balkan Insight | news | BIRN
Politico | news | Politico Europe
The Hill | news | the Hill
Axios | news |
The Daily Beast | news | Daily Beast
HuffPost | news | Huffington Post; The Huffington Post
BuzzFeed News | news | BuzzFeed
Vice News | news |
The Intercept | news | the Intercept
Mother Jones | magazine |
The New Yorker | magazine | New Yorker
The Atlantic | magazine |
Newsweek | magazine |
!Time | magazine | Time magazine; TIME magazine; TIME
Foreign Policy | magazine |
Foreign Affairs | magazine |
National Review | magazine |
The Nation | magazine | the Nation
The Spectator | magazine | the Spectator
Forbes | magazine |
Business Insider | news |
Bloomberg | wire | Bloomberg News
Reuters | wire | Thomson Reuters
Associated Press | wire | AP; the AP
Agence France-Presse | wire | AFP; Agence France Presse
United Press International | wire | UPI
Deutsche Presse-Agentur | wire | dpa; DPA
Xinhua | wire | Xinhua News Agency
TASS | wire | ITAR-TASS
Anadolu Agency | wire | Anadolu
Kyodo News | wire | Kyodo
Islamic Republic News Agency | wire | IRNA
Fars News Agency | wire | Fars News; FNA
Tasnim News Agency | wire | Tasnim
Mehr News Agency | wire | Mehr News
Iranian Students' News Agency | wire | ISNA
BBC | tv | BBC News; British Broadcasting Corporation; BBC World Service; BBC Persian
CNN | tv | CNN International
Fox News | tv | Fox News Channel
NBC News | tv | NBC
CBS News | tv | CBS
ABC News | tv | ABC
Sky News | tv |
Channel 4 News | tv | Channel 4
France 24 | tv |
Deutsche Welle | tv | DW
Euronews | tv |
Press TV | tv | PressTV
Islamic Republic of Iran Broadcasting | tv | IRIB
Iran International | tv |
RT | tv | Russia Today
PBS | tv |
NPR | radio | National Public Radio
Radio Free Europe/Radio Liberty | radio | RFE/RL; Radio Free Europe; Radio Farda
Voice of America | radio | VOA
"""

# countries and country adjectives are not issuers ("the US said" is too vague to name a work)
COUNTRY_WORDS = frozenset(
    """US, U.S., USA, U.S.A., UK, U.K., GB, America, United States, Britain, Great Britain, England, France,
    Germany, Italy, Spain, Iran, Iraq, Israel, Syria, Turkey, Russia, China, Japan, India, Pakistan, Afghanistan,
    Saudi Arabia, Egypt, Jordan, Lebanon, Albania, Canada, Australia, Europe, Asia, Africa, Tehran, Baghdad,
    Washington, London, Paris, Berlin, Moscow, Tirana, Kuwait, Qatar, Yemen, Bahrain, Oman, Libya, Tunisia,
    Morocco, Algeria, Sweden, Norway, Denmark, Netherlands, Belgium, Switzerland, Austria, Greece, Poland,
    Ukraine, West, East, North, South""".replace("\n", " ").split(", ")
)
MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec spring summer autumn fall winter".split()
)
_OUTLET_SUFFIXES = {
    "post": "news", "times": "news", "news": "news", "herald": "news", "journal": "news", "gazette": "news",
    "tribune": "news", "telegraph": "news", "chronicle": "news", "observer": "news", "monitor": "news",
    "daily": "news", "weekly": "magazine", "magazine": "magazine", "agency": "wire", "tv": "tv",
    "television": "tv", "channel": "tv", "radio": "radio",
}
_NORM = re.compile(r"[^0-9a-z]+")
_ACCENTS = str.maketrans("àáâãäåçèéêëìíîïñòóôõöùúûüýÿ’‘", "aaaaaaceeeeiiiinooooouuuuyy''")


@dataclass(frozen=True)
class Issuer:
    """A publishing organisation under its canonical name."""

    name: str
    category: str

    @property
    def work_type(self) -> str:
        return CATEGORY_TYPES[self.category]

    @property
    def is_container(self) -> bool:
        return self.category in CONTAINER_CATEGORIES


@dataclass(frozen=True)
class Alias:
    """One spelling of an issuer: ``needs_article`` for common words, ``exact`` for acronyms."""

    issuer: Issuer
    needs_article: bool
    exact: str | None


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The normalised form aliases are looked up by (case, accents, punctuation, possessive ignored)."""
    text = text.strip().lower().translate(_ACCENTS)
    text = re.sub(r"['’]s$", "", text)
    text = text.replace("'", "")
    return _NORM.sub(" ", text).strip()


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[Alias, ...]]:
    """Every alias key with the issuers it may name (built once; the table is constant)."""
    out: dict[str, list[Alias]] = {}
    for row in TABLE.strip().splitlines():
        name, category, alias_text = (part.strip() for part in row.split("|"))
        own = [] if name.startswith("!") else [name]
        name = name.lstrip("!")
        issuer = Issuer(name, category)
        spellings = [*own, *(a.strip() for a in alias_text.split(";") if a.strip())]
        for spelling in spellings:
            needs_article = spelling.startswith("the ")
            bare = spelling[4:] if needs_article else spelling
            if bare.lower().startswith("the ") and bare[:4] == "The ":
                # "The Guardian" is also found as "the Guardian": the article stays optional
                out.setdefault(key(bare[4:]), []).append(Alias(issuer, True, None))
            compact = bare.replace(".", "").replace("-", "")
            exact = bare if compact.isupper() and len(compact) <= 6 else None
            out.setdefault(key(bare), []).append(Alias(issuer, needs_article, exact))
    return {k: tuple(v) for k, v in out.items()}


def lookup(text: str, after_article: bool = True) -> Issuer | None:
    """The issuer ``text`` names, if the table knows it (``after_article``: ``the`` precedes it)."""
    for alias in aliases().get(key(text), ()):
        if alias.needs_article and not after_article:
            continue
        if alias.exact is not None and re.sub(r"['’]s$", "", text.strip()) != alias.exact:
            continue
        return alias.issuer
    return None


def outlet_category(text: str) -> str | None:
    """``Balkan Post`` -> ``news``, ``Ofogh State TV`` -> ``tv``: an unknown outlet told by its last word."""
    words = text.split()
    if len(words) < 2 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return None
    if key(words[0]) in MONTH_WORDS:
        return None
    return _OUTLET_SUFFIXES.get(key(words[-1]))


@functools.lru_cache(maxsize=65536)
def canonical(text: str) -> str:
    """The normalised canonical name of an issuer written any way (unknown names: normalised, no ``the``)."""
    if not text:
        return ""
    issuer = lookup(text) or lookup(text, after_article=False)
    if issuer is None and text.lower().startswith("the "):
        issuer = lookup(text[4:])
    name = issuer.name if issuer else text
    k = key(name)
    return k[4:] if k.startswith("the ") else k


@functools.lru_cache(maxsize=1)
def _country_keys() -> frozenset[str]:
    return frozenset(key(w) for w in COUNTRY_WORDS)


def is_country(text: str) -> bool:
    """Whether ``text`` is a country, capital or region: a place, never an issuer or an author."""
    return key(text) in _country_keys()
