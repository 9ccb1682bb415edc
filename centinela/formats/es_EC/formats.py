"""Numbers and dates as Ecuador writes them (issue 13), over Django's Spanish formats: "3.500,00" (a dot between
thousands, a comma before decimals) and "15/03/2020", "15/03/2020 14:30". What is not here comes from Django's "es"
(input formats accept "15/03/2020", and the ISO "2020-03-15" of the date pickers, as Django always does)."""

DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
