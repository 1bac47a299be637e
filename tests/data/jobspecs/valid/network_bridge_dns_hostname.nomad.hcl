# Exercises: bridge network with hostname and a dns block (servers, searches, options), static+to and dynamic+to ports, address_mode "alloc" on a group service.
job "ldap-proxy" {
  datacenters = ["dc1"]

  group "proxy" {
    count = 2

    network {
      mode     = "bridge"
      hostname = "ldap-proxy-${NOMAD_ALLOC_INDEX}"

      dns {
        servers  = ["10.0.0.2", "10.0.0.3"]
        searches = ["corp.example.com", "service.consul"]
        options  = ["ndots:2", "timeout:1"]
      }

      port "ldaps" {
        static = 636
        to     = 1636
      }

      port "metrics" {
        to = 9090
      }
    }

    service {
      name         = "ldap-proxy-metrics"
      port         = "metrics"
      address_mode = "alloc"
      tags         = ["metrics"]
    }

    task "proxy" {
      driver = "docker"

      config {
        image = "registry.example.com/infra/ldap-proxy:1.4"
        ports = ["ldaps", "metrics"]
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
