# An ingress in front of the cluster and of one legacy server outside it.
tags {
  traefik_exposed_by_default = true
}

# Canaries only for testers who ask; sessions idle 45 s may move off a draining instance.
traffic {
  canary_header        = "X-Beta"
  canary_value         = "yes"
  session_idle_timeout = "45s"
  report_interval      = "2s"
}

listener {
  port    = 8080
  address = "0.0.0.0"
  # The cloud load balancer in front terminates TLS and says so.
  trusted_proxies = ["10.0.0.0/8", "192.168.0.1"]

  # Catalog service "web": every passing instance, sticky sessions.
  service "web" {
    hosts       = ["www.example.com", "*.web.example.com"]
    path_prefix = "/"
    balance     = "least_request"
    sticky {
      cookie_name = "web_srv"
      http_only   = true
      same_site   = "lax"
      max_age     = 3600
    }
    response_headers {
      set    = { "X-Frame-Options" = "DENY" }
      remove = ["Server"]
    }
  }

  # A static upstream outside the cluster, with a hot standby.
  service "legacy" {
    hosts          = ["www.example.com"]
    path_prefix    = "/legacy"
    strip_prefix   = true
    priority       = 10
    balance        = "ring_hash"
    hash_on {
      cookie = "SESSIONID"
    }
    servers        = ["127.0.0.1:9000", "127.0.0.1:9001"]
    backup_servers = ["[::1]:9100"]
    request_headers {
      set    = { "X-Forwarded-Env" = "prod" }
      remove = ["X-Debug"]
    }
  }
}

listener {
  port = 8443
  tls {
    min_version = "1.2"
    certificate {
      cert_file = "/etc/caravan/tls/example.crt"
      key_file  = "/etc/caravan/tls/example.key"
    }
    certificate {
      cert_file = "/etc/caravan/tls/other.crt"
      key_file  = "/etc/caravan/tls/other.key"
    }
  }
  service "api" {
    hosts          = ["api.example.com"]
    path_prefix    = "/v1"
    prefix_rewrite = "/"
  }
}
