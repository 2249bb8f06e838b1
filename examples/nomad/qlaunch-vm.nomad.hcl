# qlaunch-vm.nomad.hcl: the VM "db1" (examples/service-vm.ini) as a
# HashiCorp Nomad job, one VM per task, as qlaunch@db1.service is one VM
# per unit.
#
#   nomad job run qlaunch-vm.nomad.hcl
#
# The config is a file on the client, not in the job: qlaunch reads it by
# path, and only where no other user could change it (a file of root's,
# in directories only root may write), so put it in /etc/qlaunch/vms/db1.ini
# as for the systemd unit, with its [qmp] socket in a directory of root's
# (/run/qlaunch/db1/qmp.sock; the prestart task below makes it, as the
# unit's RuntimeDirectory= does).  Nomad's own directories (NOMAD_TASK_DIR
# and friends) are writable by the task and so are no place for a
# config or a socket that root's qlaunch will trust.
#
# raw_exec runs the task as the Nomad client's user (root here: KVM, taps,
# and the QMP socket rule), without isolation; the client must enable it:
# plugin "raw_exec" { config { enabled = true } }.

job "db1" {
  datacenters = ["dc1"]
  type        = "service"

  group "vm" {
    count = 1

    # One VM, one host: its disk is local.
    constraint {
      attribute = "${attr.unique.hostname}"
      value     = "vmhost1"
    }

    # QEMU's exit status is the task's ('nomad alloc status' shows it).
    # Nomad restarts a service task whatever its status (a guest that
    # powered off comes back): 3 times in 10 minutes, then the allocation
    # fails.  For a VM that should stay off, use a batch job.
    restart {
      attempts = 3
      interval = "10m"
      delay    = "15s"
      mode     = "fail"
    }

    # The runtime directory for the QMP socket, root's, mode 0750.
    task "rundir" {
      driver = "raw_exec"
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }
      config {
        command = "/usr/bin/install"
        args    = ["-d", "-m", "0750", "/run/qlaunch/db1"]
      }
    }

    # qlaunch run execs QEMU: the task's process is QEMU itself, its pid
    # and its exit status.
    task "qemu" {
      driver = "raw_exec"
      config {
        command = "/usr/bin/qlaunch"
        args    = ["run", "/etc/qlaunch/vms/db1.ini"]
      }

      # Nomad stops a task with kill_signal, then SIGKILL after
      # kill_timeout.  SIGTERM makes QEMU quit at once (the plug pulled,
      # as 'qlaunch stop' does after its timeout); Nomad has no stop
      # command of its own, so for an ACPI power-down run
      #   qlaunch stop /etc/qlaunch/vms/db1.ini --timeout 60
      # first (it returns once QEMU has exited), then 'nomad job stop db1'.
      kill_signal  = "SIGTERM"
      kill_timeout = "90s"

      resources {
        cpu    = 2000 # MHz
        memory = 2304 # MiB: the guest's 2G and QEMU's own
      }
    }

    # Readiness: returns once QEMU answers on QMP (as the unit's
    # ExecStartPost); a QEMU that never answers fails it within 60 s.
    task "ready" {
      driver = "raw_exec"
      lifecycle {
        hook    = "poststart"
        sidecar = false
      }
      config {
        command = "/usr/bin/qlaunch"
        args    = ["wait", "/etc/qlaunch/vms/db1.ini", "--timeout", "60"]
      }
    }
  }
}
