"""The demo's French edition of "Spotting opportunities" and its first lesson.

Made the way a translator makes one: wagtail-localize exports the source page's segments as a
PO file, these are its French msgstrs, and the import publishes the translation (the catalogue
and the other lessons stay in English, shown as such on /fr/ pages). Slugs keep the English
path, so each French address is the English one under /fr/.
"""

FRENCH = {
    "Courses": "Cours",
    "Short courses on entrepreneurial and transversal skills, co-created by universities and "
    "companies. Each one ends with a badge that any employer can verify.": (
        "Des cours courts sur l’esprit d’entreprendre et les compétences transversales, "
        "co-créés par des universités et des entreprises. Chacun se termine par un badge que "
        "tout employeur peut vérifier."
    ),
    "Spotting opportunities with industry partners": (
        "Repérer des opportunités avec des partenaires industriels"
    ),
    "Learn to find problems worth solving together with a company: how to read a partner's "
    "value chain, listen for unmet needs, and turn what you hear into an opportunity you can "
    "test in a week.": (
        "Apprenez à trouver, avec une entreprise, les problèmes qui méritent d’être résolus : "
        "lire la chaîne de valeur d’un partenaire, écouter les besoins non satisfaits et "
        "transformer ce que vous entendez en une opportunité à tester en une semaine."
    ),
    "Map an industry partner's value chain and locate where value leaks": (
        "Cartographier la chaîne de valeur d’un partenaire industriel et repérer où la valeur "
        "se perd"
    ),
    "Run a discovery interview that uncovers needs rather than wishes": (
        "Mener un entretien de découverte qui révèle des besoins plutôt que des souhaits"
    ),
    "Write a problem statement that a partner recognises and can act on": (
        "Rédiger un énoncé de problème que le partenaire reconnaît et sur lequel il peut agir"
    ),
    "Prioritise opportunities by value, feasibility and strategic fit": (
        "Hiérarchiser les opportunités selon la valeur, la faisabilité et l’adéquation stratégique"
    ),
    "Where value hides in a company": "Où se cache la valeur dans une entreprise",
    "Seeing the landscape": "Observer le terrain",
    "Opportunities rarely announce themselves. They sit in the gaps between what a company "
    "does, what its customers need and what it could do next.": (
        "Les opportunités s’annoncent rarement. Elles se logent entre ce que fait une "
        "entreprise, ce dont ses clients ont besoin et ce qu’elle pourrait faire ensuite."
    ),
    "When a university team meets a company for the first time, the conversation usually "
    "starts with technology: <i>what can your lab do?</i> The better question is <b>where does "
    "this company lose value today?</b> Value leaks wherever work is repeated, waiting, "
    "scrapped or done by hand because no better way exists yet.": (
        "Quand une équipe universitaire rencontre une entreprise pour la première fois, la "
        "conversation commence souvent par la technologie : <i>que sait faire votre "
        "laboratoire ?</i> La meilleure question est <b>où cette entreprise perd-elle de la "
        "valeur aujourd’hui ?</b> La valeur fuit partout où le travail est répété, attend, "
        "est jeté ou fait à la main faute de mieux."
    ),
    "Reading a value chain": "Lire une chaîne de valeur",
    "Sketch the partner's value chain in five boxes: <i>sourcing</i>, <i>making</i>, "
    "<i>delivering</i>, <i>selling</i> and <i>supporting</i>. For each box, ask three "
    "questions:": (
        "Esquissez la chaîne de valeur du partenaire en cinq cases : "
        "<i>approvisionner</i>, <i>fabriquer</i>, <i>livrer</i>, <i>vendre</i> et "
        "<i>accompagner</i>. Pour chaque case, posez trois questions :"
    ),
    "What takes longer than anyone would like?": (
        "Qu’est-ce qui prend plus de temps que quiconque ne le voudrait ?"
    ),
    "What goes wrong often enough that people have a workaround?": (
        "Qu’est-ce qui échoue assez souvent pour que chacun ait son système D ?"
    ),
    "What would customers pay more for, if only it existed?": (
        "Pour quoi les clients paieraient-ils davantage, si seulement cela existait ?"
    ),
    "The answers are raw material, not opportunities yet. Write each one on a separate card "
    "so you can sort them later.": (
        "Les réponses sont une matière première, pas encore des opportunités. Notez chacune "
        "sur une fiche séparée pour pouvoir les trier ensuite."
    ),
    "Helix Robotics: the calibration queue": "Helix Robotics : la file d’étalonnage",
    "Every robot arm Helix ships needs a two-hour calibration by a senior engineer. Sales "
    "could sell more arms than the engineers can calibrate. Nobody called this an opportunity "
    "until a student team timed the queue and showed it capped revenue.": (
        "Chaque bras robotisé livré par Helix exige deux heures d’étalonnage par un ingénieur "
        "confirmé. Les commerciaux pourraient vendre plus de bras que les ingénieurs ne "
        "peuvent en étalonner. Personne n’y voyait une opportunité jusqu’à ce qu’une équipe "
        "d’étudiants chronomètre la file et montre qu’elle plafonnait le chiffre d’affaires."
    ),
    "Signals worth noting": "Des signaux à noter",
    "<b>Workarounds</b>: spreadsheets, sticky notes and “ask Maria” mean a process is missing.": (
        "<b>Systèmes D</b> : tableurs, post-it et « demande à Maria » signalent qu’un "
        "processus manque."
    ),
    "<b>Complaints that repeat</b> across departments point to a shared root cause.": (
        "<b>Des plaintes qui reviennent</b> d’un service à l’autre désignent une cause commune."
    ),
    "<b>Regulation on the horizon</b> turns a nice-to-have into a must-have with a deadline.": (
        "<b>Une réglementation à l’horizon</b> fait d’un « bonus » une obligation assortie "
        "d’une échéance."
    ),
    "Think of an organisation you know well. Where does it lose value today?": (
        "Pensez à une organisation que vous connaissez bien. Où perd-elle de la valeur "
        "aujourd’hui ?"
    ),
    "Name one concrete moment: who is waiting, for what, and how often.": (
        "Décrivez un moment concret : qui attend, quoi, et à quelle fréquence."
    ),
}

# (page's model name, slug): the pages this demo translates, parents first.
PAGES = [("coursecatalogpage", "courses"), ("coursepage", "spotting-opportunities")]
PAGES += [("lessonpage", "where-value-hides")]
