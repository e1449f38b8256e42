"""English dates as GOV.UK writes them: "17 March 2027", not Django's American "March 17, 2027".

Templates ask for DATE_FORMAT and DATETIME_FORMAT, so every other language keeps its own
order and grammar (Lithuanian "2027 m. kovo 17 d.", German "17. März 2027").
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
