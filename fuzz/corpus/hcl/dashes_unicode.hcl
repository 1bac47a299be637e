ip-address = "x"
héllo = "wörld"
a = attr.unique.network.ip-address
