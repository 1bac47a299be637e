# Exercises: constraint at job, group and task level with the operators =, !=, >, >=, <, <=, regexp, version, semver, set_contains, set_contains_any, is_set, is_not_set.
job "search-indexer" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  constraint {
    attribute = "${node.class}"
    operator  = "!="
    value     = "spot"
  }

  constraint {
    attribute = "${attr.cpu.numcores}"
    operator  = ">"
    value     = "4"
  }

  group "indexer" {
    count = 2

    constraint {
      attribute = "${attr.memory.totalbytes}"
      operator  = ">="
      value     = "17179869184"
    }

    constraint {
      attribute = "${meta.load_score}"
      operator  = "<"
      value     = "80"
    }

    constraint {
      attribute = "${meta.generation}"
      operator  = "<="
      value     = "5"
    }

    constraint {
      attribute = "${attr.unique.hostname}"
      operator  = "regexp"
      value     = "^search-[0-9]+\\.example\\.com$"
    }

    constraint {
      attribute = "${meta.ssd}"
      operator  = "is_set"
    }

    constraint {
      attribute = "${meta.maintenance}"
      operator  = "is_not_set"
    }

    task "indexer" {
      driver = "java"

      constraint {
        attribute = "${attr.driver.java.version}"
        operator  = "version"
        value     = ">= 17, < 22"
      }

      constraint {
        attribute = "${attr.nomad.version}"
        operator  = "semver"
        value     = ">= 1.6.0-beta"
      }

      constraint {
        attribute = "${meta.features}"
        operator  = "set_contains"
        value     = "avx2,sse4"
      }

      constraint {
        attribute = "${meta.zones}"
        operator  = "set_contains_any"
        value     = "eu-central-1a,eu-central-1b"
      }

      config {
        jar_path    = "local/indexer.jar"
        jvm_options = ["-Xmx3g"]
      }

      resources {
        cpu    = 2000
        memory = 4096
      }
    }
  }
}
