a = "tab\there"
b = "\U0001F600 \uD800"
c = "bad \q escape"
d = ""
