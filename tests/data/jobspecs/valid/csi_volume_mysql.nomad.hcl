# Exercises: csi volume (source, access_mode, attachment_mode, per_alloc, mount_options with fs_type/mount_flags), volume_mount, ${NOMAD_ALLOC_INDEX} in args.
job "mysql-cluster" {
  datacenters = ["dc1"]

  group "mysql" {
    count = 3

    volume "data" {
      type            = "csi"
      source          = "mysql-data"
      read_only       = false
      access_mode     = "single-node-writer"
      attachment_mode = "file-system"
      per_alloc       = true

      mount_options {
        fs_type     = "ext4"
        mount_flags = ["noatime", "nodiratime"]
      }
    }

    network {
      port "mysql" {
        to = 3306
      }
    }

    task "mysql" {
      driver = "docker"

      volume_mount {
        volume      = "data"
        destination = "/var/lib/mysql"
      }

      config {
        image = "mysql:8.4"
        ports = ["mysql"]
        args  = ["--server-id=${NOMAD_ALLOC_INDEX}", "--log-bin=mysql-bin"]
      }

      resources {
        cpu    = 1000
        memory = 2048
      }
    }
  }
}
