"""The legally required pages of a German public body's website: Impressum, Datenschutzerklärung, Erklärung zur
Barrierefreiheit and the page in Leichte Sprache (easy-to-read German), and the short privacy notice parents see
before the first question. What follows from how the platform works is generated; what only the city knows
(controller, data protection officer, legal basis …) the office enters."""
