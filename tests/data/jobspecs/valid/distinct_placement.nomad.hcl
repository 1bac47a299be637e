# Exercises: distinct_hosts and distinct_property constraints, both in operator form and in the compact attribute form, with ${meta.rack}.
job "zookeeper" {
  datacenters = ["dc1"]

  # Compact form: no two groups of this job on one host.
  constraint {
    distinct_hosts = true
  }

  group "zk" {
    count = 3

    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    constraint {
      operator  = "distinct_property"
      attribute = "${meta.rack}"
      value     = "1"
    }

    network {
      port "client" {
        static = 2181
      }
      port "peer" {}
      port "election" {}
    }

    task "zk" {
      driver = "docker"

      config {
        image = "zookeeper:3.9"
        ports = ["client", "peer", "election"]
      }

      env {
        ZOO_MY_ID = "${NOMAD_ALLOC_INDEX}"
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }

  group "observer" {
    count = 2

    constraint {
      distinct_property = "${meta.rack}"
      value             = "2"
    }

    task "zk-observer" {
      driver = "docker"

      config {
        image = "zookeeper:3.9"
        args  = ["--observer"]
      }

      resources {
        cpu    = 250
        memory = 256
      }
    }
  }
}
