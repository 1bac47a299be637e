# Exercises: affinity with positive and negative weight at job/group/task level, spread with target blocks and an implicit even spread.
job "checkout" {
  datacenters = ["eu-west-1", "eu-central-1"]

  affinity {
    attribute = "${node.datacenter}"
    value     = "eu-central-1"
    weight    = 70
  }

  spread {
    attribute = "${node.datacenter}"
    weight    = 100

    target "eu-central-1" {
      percent = 60
    }

    target "eu-west-1" {
      percent = 40
    }
  }

  group "checkout" {
    count = 10

    affinity {
      attribute = "${meta.instance_family}"
      operator  = "set_contains_any"
      value     = "c6i,c7i"
      weight    = 50
    }

    affinity {
      attribute = "${node.class}"
      operator  = "="
      value     = "burstable"
      weight    = -40
    }

    spread {
      attribute = "${attr.platform.aws.placement.availability-zone}"
    }

    task "checkout" {
      driver = "docker"

      affinity {
        attribute = "${attr.cpu.arch}"
        value     = "arm64"
        weight    = 25
      }

      config {
        image = "registry.example.com/checkout:5.0.3"
      }

      resources {
        cpu    = 400
        memory = 384
      }
    }
  }
}
