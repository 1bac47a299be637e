# Exercises: meta in block form (job, task) and map-attribute form (group, task, quoted dotted keys), env in block form and map-attribute form, ${NOMAD_META_x} reading merged meta.
job "notifications" {
  datacenters = ["dc1"]

  meta {
    team       = "messaging"
    on_call    = "messaging-oncall@example.com"
    deploy-ref = "a1b2c3d"
  }

  group "sender" {
    count = 2

    meta = {
      "shard.count" = "2"
      region_hint   = "eu"
    }

    task "email" {
      driver = "docker"

      meta {
        channel = "email"
      }

      env = {
        CHANNEL           = "${NOMAD_META_channel}"
        TEAM              = "${NOMAD_META_team}"
        "smtp.relay.host" = "smtp.example.com"
      }

      config {
        image = "registry.example.com/notify/sender:6.0"
      }

      resources {
        cpu    = 150
        memory = 128
      }
    }

    task "sms" {
      driver = "docker"

      meta = {
        channel         = "sms"
        "provider.name" = "twilio"
      }

      env {
        CHANNEL  = "${NOMAD_META_channel}"
        PROVIDER = "${NOMAD_META_provider_name}"
      }

      config {
        image = "registry.example.com/notify/sender:6.0"
      }

      resources {
        cpu    = 150
        memory = 128
      }
    }
  }
}
