# Exercises: sysbatch job that is parameterized (payload "optional", meta_required only), dispatch_payload, ${NOMAD_META_x}, job-level constraint with is_set, exec driver.
job "rotate-certs" {
  type        = "sysbatch"
  datacenters = ["*"]
  priority    = 80

  parameterized {
    payload       = "optional"
    meta_required = ["reason"]
  }

  constraint {
    attribute = "${meta.tls_managed}"
    operator  = "is_set"
  }

  group "rotate" {
    task "rotate" {
      driver = "exec"

      dispatch_payload {
        file = "ca-bundle.pem"
      }

      config {
        command = "/usr/local/sbin/rotate-certs"
        args    = ["--reason", "${NOMAD_META_reason}", "--bundle", "local/ca-bundle.pem"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
