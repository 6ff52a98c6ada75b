"""Vocabulary for the generated parts: synthetic titles and names, abstracts, keywords, stand-in text.

Everything here is written for this project. No word list contains the letters
"anchor" (the stand-ins of works that must not mention anchoring are built from it);
``check_vocabulary`` verifies that.
"""

from __future__ import annotations

import random
import re

from .bibfacts import BROAD_TERMS, REFINED_TERMS

PLACES = [
    "the Rhine delta", "Kwinana", "Jurong Island", "the Humber estuary", "Guayama", "Kawasaki", "Ulsan",
    "Rizhao", "Landskrona", "Norrköping", "Tampere", "Oulu", "Puchuncaví", "Suape", "Durban", "Gladstone",
    "Dunkirk", "Le Havre", "the Emscher valley", "Aalborg", "Gothenburg", "Styria", "Lower Saxony",
    "Tangshan", "Guigang", "Dalian", "Liuzhou", "Shenyang", "Kitakyushu", "Kanagawa", "Pohang", "Yeosu",
    "Map Ta Phut", "Nanjing", "Taranto", "Crete", "Antwerp", "the Tees Valley", "Pittsburgh", "Burnside",
    "Sarnia", "Brownsville", "Kemi", "Harjavalta", "Kokkola", "Jyväskylä", "Kalundborg", "Ostrava",
    "Silesia", "Asturias", "Tarragona", "Huelva", "Sines", "Genk", "Ghent", "Terneuzen", "Moerdijk",
    "Emmen", "Lahti", "Sundsvall", "Örnsköldsvik", "Mo i Rana", "Porsgrunn", "Esbjerg", "Kolding",
    "Lanzhou", "Baotou", "Wuhan", "Hefei", "Tianjin", "Qingdao", "Xiamen", "Chongqing", "Kunming",
    "Chennai", "Pune", "Gujarat", "Karachi", "Penang", "Rayong", "Batam", "Cebu", "Laguna", "Monterrey",
    "Querétaro", "Campinas", "Minas Gerais", "Santiago", "Mendoza", "Nairobi", "Sfax", "Alexandria",
    "Haifa", "Izmir", "Bursa", "Thessaloniki", "Valencia", "Bilbao", "Turin", "Brescia", "Graz", "Linz",
    "Leipzig", "Duisburg", "Wales", "Scotland", "Ontario", "Quebec", "Alberta", "Ohio", "Texas",
    "Wallonia", "Flanders", "Jutland", "Lapland", "Bohemia", "Lorraine", "Normandy",
]  # fmt: skip

INDUSTRIES = [
    "cement", "steel", "sugar", "pulp and paper", "petrochemical", "aluminium", "brewing", "food processing",
    "textile", "glass", "ceramics", "fertiliser", "biorefinery", "power generation", "waste incineration",
    "wastewater treatment", "aquaculture", "greenhouse horticulture", "chemical", "mining", "timber",
    "dairy", "oil refining", "coking",
]  # fmt: skip

BYPRODUCTS = [
    "fly ash", "blast furnace slag", "gypsum", "waste heat", "process steam", "spent grain", "bagasse",
    "sewage sludge", "carbon dioxide", "scrap metal", "used oil", "plastic residues", "wood residues",
    "crude glycerol", "red mud", "cooling water", "biogas", "sawdust", "molasses", "construction waste",
]  # fmt: skip

IS_OBJECTS = [
    "industrial symbiosis", "eco-industrial parks", "by-product exchanges", "industrial ecosystems",
    "eco-industrial development", "by-product synergies", "resource synergies", "recycling networks",
    "industrial symbiosis networks", "eco-industrial networks",
]  # fmt: skip

GOV_NOUNS = [
    "Governance", "Coordination", "Planning", "Policy support", "Public-private partnership",
    "Collaborative planning", "Regulation", "Local government", "Network management", "Cooperation",
    "Decision making", "Policy instruments", "Institutional coordination", "Stakeholder collaboration",
]  # fmt: skip

GOV_GERUNDS = [
    "Governing", "Coordinating", "Planning", "Managing", "Regulating", "Organising cooperation in",
    "Facilitating collaboration in", "Steering",
]  # fmt: skip

FRAMES = [
    "a case study", "lessons from a decade of practice", "evidence from firm interviews",
    "a comparative analysis", "an institutional perspective", "a longitudinal study",
    "experiences from practice", "insights from a regional programme", "a network perspective",
    "a process study", "findings from a stakeholder survey", "an exploratory study",
]  # fmt: skip

ACTORS = [
    "municipalities", "regional development agencies", "park management bodies", "utility companies",
    "industry associations", "universities", "environmental agencies", "port authorities",
    "facilitators", "large manufacturing firms", "national programmes", "local entrepreneurs",
]  # fmt: skip

TECH_TOPICS = [
    "Material flows", "Energy cascading", "Water reuse", "Utility sharing", "Waste heat recovery",
    "Residue valorisation", "By-product reuse", "Nutrient recycling", "Carbon capture and reuse",
    "Sludge treatment", "Slag utilisation", "Heat integration",
]  # fmt: skip

TECH_FRAMES = [
    "an engineering assessment", "a site inventory", "technical options", "a material balance",
    "a screening of options", "a technical review", "a feasibility analysis", "an exergy evaluation",
]  # fmt: skip

SURNAMES = [
    "Andersson", "Bakker", "Berg", "Brandt", "Castro", "Chen", "Cho", "Costa", "Dahl", "Demir", "Dubois",
    "Eriksen", "Ferreira", "Fischer", "García", "Gomez", "Hansen", "Hartmann", "Hernández", "Holm", "Huang",
    "Ivanova", "Jansen", "Jensen", "Jeong", "Kato", "Kim", "Koster", "Kowalski", "Kumar", "Laine", "Larsen",
    "Lee", "Lehmann", "Li", "Lindqvist", "Liu", "Lopes", "Lundberg", "Martínez", "Meyer", "Mikkelsen",
    "Moreau", "Müller", "Nakamura", "Nguyen", "Nielsen", "Novak", "Okafor", "Olsen", "Ortiz", "Park",
    "Patel", "Pereira", "Petrov", "Quispe", "Rahman", "Ramos", "Ricci", "Rossi", "Saito", "Santos",
    "Schmidt", "Schneider", "Silva", "Singh", "Sørensen", "Suzuki", "Svensson", "Tanaka", "Torres",
    "Van Dijk", "Vasquez", "Virtanen", "Wagner", "Wang", "Weber", "Wu", "Xu", "Yamamoto", "Yang",
    "Yilmaz", "Zhang", "Zhao", "Zhou", "Novotná", "Horvath", "Kovacs", "Popescu", "Nowak", "Mensah",
    "Adeyemi", "Haddad", "Farouk", "Karimi", "Ahmadi", "Iyer", "Menon", "Rao", "Sato", "Ito", "Ogawa",
    "De Smet", "Peeters", "Janssens", "Lambrecht", "Fontaine", "Girard", "Leclerc", "Romano", "Greco",
    "Esposito", "Bianchi", "Conti", "Marino", "Oliveira", "Souza", "Almeida", "Barbosa", "Rocha",
]  # fmt: skip

GIVEN = [
    "Anna", "Lars", "Maria", "Jan", "Sofia", "Pedro", "Wei", "Min-Jun", "Emma", "Henrik", "Lucía", "Marco",
    "Yuki", "Ji-Woo", "Kari", "Olga", "Tomasz", "Amara", "Ravi", "Priya", "Hao", "Lin", "Jun", "Fatima",
    "Omar", "Elena", "Giulia", "Matteo", "Camille", "Louis", "Inês", "João", "Ana", "Carlos", "Diego",
    "Laura", "Peter", "Sarah", "David", "Ruth", "Mikko", "Aino", "Sven", "Ingrid", "Hanna", "Jonas",
    "Eva", "Pavel", "Katarzyna", "Nils", "Astrid", "Thomas", "Julia", "Kenji", "Haruka", "Seo-Yeon",
    "Ahmed", "Leila", "Chidi", "Ngozi", "Ming", "Xiaoming", "Yan", "Feng", "Rui", "Jie",
]  # fmt: skip

JOURNALS = [
    "Journal of Cleaner Production", "Journal of Industrial Ecology", "Resources, Conservation and Recycling",
    "Journal of Environmental Management", "Business Strategy and the Environment", "Ecological Economics",
    "Regional Studies", "Progress in Industrial Ecology", "Clean Technologies and Environmental Policy",
    "International Journal of Sustainable Development and World Ecology", "Waste Management",
    "Environmental Science and Technology", "Energy Policy", "Applied Energy",
    "Journal of Environmental Planning and Management", "Local Environment", "Geoforum",
    "Sustainable Development", "Technological Forecasting and Social Change", "Sustainability",
    "Environmental Science and Pollution Research", "Resources Policy", "Energy",
    "Environment and Planning A", "European Planning Studies", "Environmental Innovation and Societal Transitions",
]  # fmt: skip

LANGUAGES = ["Chinese", "Spanish", "Portuguese", "German", "Korean", "French"]

# ------------------------------------------------------------------ abstracts (generated)

OPENERS = [
    "This article examines {obj} in {place}.",
    "The paper discusses {obj} around a {ind} site in {place}.",
    "This study looks at {obj} among {ind} firms in {place}.",
    "We describe {obj} that link {ind} and {ind2} plants in {place}.",
    "The article reviews the development of {obj} in {place}.",
]  # fmt: skip

# Real records get openers that name no place or industry: the text is generated, and it should
# not attribute a setting to a real study.
NEUTRAL_OPENERS = [
    "This article deals with {obj}.",
    "The paper is about {obj}.",
    "The subject of this study is {obj}.",
    "This article contributes to research on {obj}.",
]  # fmt: skip

GENERATED_MARK = "(Generated abstract, not the authors' text.)"

GOV_SENTENCES = [
    "It asks how firms and {actor} coordinate the exchanges over time.",
    "Particular attention goes to the governance of the network and to the role of {actor}.",
    "The role of planning and public policy in starting the exchanges is discussed.",
    "It shows how cooperation between companies grew with support from {actor}.",
    "Regulation and permits are treated as conditions that shape collaboration among firms.",
    "The analysis follows decision making by the firms and by {actor}.",
    "Partnerships between {actor} and plant managers are compared.",
]  # fmt: skip

PLAIN_SENTENCES = [
    "It describes the material and energy flows that connect the plants.",
    "The flows of {bp} between the sites are traced and characterised.",
    "Technical options for reusing {bp} are described.",
    "It documents which residues leave each plant and where they go.",
    "The physical layout of pipes, roads and storage is set out.",
]  # fmt: skip

EMPIRICAL_SENTENCES = [
    "The analysis draws on interviews with plant staff and on site visits.",
    "Evidence comes from a case study based on documents and interviews.",
    "Data were collected through a survey of firms and follow-up interviews.",
    "The findings rest on fieldwork carried out over several years.",
]  # fmt: skip

CONCEPTUAL_SENTENCES = [
    "The paper develops a conceptual framework from the literature.",
    "It offers a theoretical reading of the field rather than new data.",
    "A typology is proposed and illustrated with examples from the literature.",
]  # fmt: skip

QUANT_SENTENCES = [
    "Material flow and life cycle indicators quantify the savings in energy and emissions.",
    "A mathematical model estimates the costs and benefits of each exchange.",
    "An optimisation model selects the exchanges with the lowest total cost.",
    "Emission reductions are quantified for each of the exchanges.",
]  # fmt: skip

QUAL_SENTENCES = [
    "The results are discussed in qualitative terms.",
    "The findings point to conditions that helped and hindered the exchanges.",
    "The discussion compares the case with earlier accounts in the literature.",
]  # fmt: skip

OFFTOPIC_SENTENCES = [
    "The term is used here in a wider sense, for clusters of software and service firms.",
    "The focus is on product design in a single company rather than on exchanges between firms.",
    "The paper is mainly about consumer recycling behaviour in households.",
]  # fmt: skip

KEYWORDS_IS = ["Industrial symbiosis", "Eco-industrial park", "By-product exchange", "Industrial ecology",
               "Industrial ecosystem", "Resource efficiency", "Circular economy", "Waste reuse"]  # fmt: skip
KEYWORDS_GOV = ["Governance", "Policy", "Cooperation", "Planning", "Collaboration", "Coordination",
                "Regulation", "Stakeholder management"]  # fmt: skip
KEYWORDS_EMP = ["Case study", "Interviews", "Survey", "Qualitative research"]
KEYWORDS_QUANT = ["Life cycle assessment", "Material flow analysis", "Optimisation", "Emissions"]
KEYWORDS_TECH = ["By-products", "Waste heat", "Utilities", "Water reuse", "Energy efficiency", "Residues"]

# ------------------------------------------------------------------ stand-in body text (generated)

BODY_SENTENCES = [
    "Firms in the area exchange {bp} and share utilities such as steam and cooling water.",
    "The exchanges developed step by step, each building on the trust created by earlier ones.",
    "A {ind} plant supplies {bp} to neighbouring companies, which use it instead of virgin inputs.",
    "Several companies connected to a common wastewater treatment facility.",
    "Contacts between plant managers were often informal at first.",
    "Local {actor} organised meetings where companies could discuss possible exchanges.",
    "The distance between the plants limited which flows could be exchanged economically.",
    "New firms settled near the larger plants to make use of their residual flows.",
    "Environmental permits set conditions on how residues may be reused.",
    "Some exchanges ended when a plant changed its process or closed down.",
    "Information on the inputs and outputs of the firms was collected in a shared inventory.",
    "The regional economy depends on a few large {ind} companies.",
    "Researchers from a nearby university studied the options for reusing {bp}.",
    "Shared infrastructure, such as pipelines and roads, lowered the cost of new links.",
    "The companies reported savings in raw materials and in disposal costs.",
    "A facilitator helped firms to find partners and to agree on prices.",
    "The development of the network took more than a decade.",
    "Interviewees stressed the importance of personal relations between managers.",
    "Public funding supported feasibility studies for several exchanges.",
    "The site now hosts {n} exchanges of materials, water and energy.",
    "Not all proposed exchanges were realised, mainly for economic reasons.",
    "The case shows how physical and social conditions for exchanges develop together.",
    "Some firms joined the network only after others had shown that it worked.",
    "The volume of {bp} exchanged grew as production at the main plant increased.",
]  # fmt: skip

ANCHOR_SENTENCES = [
    "The {ind} plant acted as an anchor tenant for the park.",
    "Interviewees described the power station as the anchor of the local network.",
    "Large firms can serve as anchors around which smaller companies settle.",
    "Anchoring activities of the municipality prepared the site for new firms.",
    "The exchanges were anchored in long-standing relations between the plant managers.",
    "Without an anchor company, the park struggled to attract tenants.",
    "The literature calls such a central facility an anchor tenant.",
    "Public authorities took up an anchoring role by providing land and infrastructure.",
]  # fmt: skip

# Sentences whose last two words are split so that "anchor..." breaks across a line end.
HYPHEN_SENTENCES = [
    ("The refinery became the main ", "anchoring", " firm of the estate."),
    ("Such a plant is often called an ", "anchor", " tenant in the literature."),
    ("The municipality's role was one of ", "anchoring", " the park in regional plans."),
]  # fmt: skip

SECTION_HEADINGS = ["1. Introduction", "2. Background", "3. The case", "4. Findings", "5. Discussion",
                    "6. Conclusions"]  # fmt: skip

_GOV_CHECK = REFINED_TERMS
_BROAD_CHECK = BROAD_TERMS


def fill(template: str, rng: random.Random, place: str | None = None, ind: str | None = None) -> str:
    inds = rng.sample(INDUSTRIES, 2)
    if ind is not None:
        inds[0] = ind
        if inds[1] == ind:
            inds[1] = next(i for i in INDUSTRIES if i != ind)
    return template.format(
        obj=rng.choice(IS_OBJECTS),
        place=place if place is not None else rng.choice(PLACES),
        ind=inds[0],
        ind2=inds[1],
        bp=rng.choice(BYPRODUCTS),
        actor=rng.choice(ACTORS),
        n=rng.choice(["five", "seven", "nine", "eleven", "more than a dozen"]),
    )


def check_vocabulary() -> None:
    """Fail loudly if a word list could put 'anchor' into a text that must not have it,
    or a governance term into a text of the broad-only records."""
    lists = [PLACES, INDUSTRIES, BYPRODUCTS, IS_OBJECTS, GOV_NOUNS, GOV_GERUNDS, FRAMES, ACTORS, TECH_TOPICS,
             TECH_FRAMES, SURNAMES, GIVEN, JOURNALS, OPENERS, NEUTRAL_OPENERS, [GENERATED_MARK], GOV_SENTENCES,
             PLAIN_SENTENCES,
             EMPIRICAL_SENTENCES, CONCEPTUAL_SENTENCES, QUANT_SENTENCES, QUAL_SENTENCES, OFFTOPIC_SENTENCES,
             KEYWORDS_IS, KEYWORDS_GOV, KEYWORDS_EMP, KEYWORDS_QUANT, KEYWORDS_TECH, BODY_SENTENCES,
             SECTION_HEADINGS]  # fmt: skip
    for words in lists:
        for w in words:
            if re.search("anchor", w, re.IGNORECASE):
                raise AssertionError(f"vocabulary item mentions anchor: {w}")
    plain_lists = [PLACES, INDUSTRIES, BYPRODUCTS, IS_OBJECTS, TECH_TOPICS, TECH_FRAMES, OPENERS, NEUTRAL_OPENERS,
                   PLAIN_SENTENCES, EMPIRICAL_SENTENCES, CONCEPTUAL_SENTENCES, QUANT_SENTENCES, QUAL_SENTENCES,
                   OFFTOPIC_SENTENCES, KEYWORDS_IS, KEYWORDS_EMP, KEYWORDS_QUANT, KEYWORDS_TECH]  # fmt: skip
    for words in plain_lists:
        for w in words:
            if _GOV_CHECK.search(w):
                raise AssertionError(f"vocabulary item for broad-only records has a governance term: {w}")
    for w in IS_OBJECTS:
        if not _BROAD_CHECK.search(w):
            raise AssertionError(f"IS object without a broad search term: {w}")
