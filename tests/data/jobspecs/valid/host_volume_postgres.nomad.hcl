# Exercises: group volume of type "host" (read_only false, source), task volume_mount (destination, read_only, propagation_mode), a second read-only host volume.
job "postgres" {
  datacenters = ["dc1"]

  group "db" {
    count = 1

    volume "pgdata" {
      type      = "host"
      source    = "postgres-data"
      read_only = false
    }

    volume "certs" {
      type      = "host"
      source    = "tls-certs"
      read_only = true
    }

    network {
      port "pg" {
        static = 5432
      }
    }

    service {
      name = "postgres"
      port = "pg"

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "postgres" {
      driver = "docker"

      volume_mount {
        volume           = "pgdata"
        destination      = "/var/lib/postgresql/data"
        read_only        = false
        propagation_mode = "private"
      }

      volume_mount {
        volume      = "certs"
        destination = "/etc/postgresql/certs"
        read_only   = true
      }

      config {
        image = "postgres:16"
        ports = ["pg"]
      }

      env {
        POSTGRES_DB = "shop"
        PGDATA      = "/var/lib/postgresql/data/pgdata"
      }

      kill_signal  = "SIGINT"
      kill_timeout = "90s"

      resources {
        cpu        = 1000
        memory     = 1024
        memory_max = 2048
      }
    }
  }
}
