import ArgumentParser

/// `kioskctl`: the technicians' and scripts' client of kioskd. Every daemon method is reachable,
/// as a readable command or, for anything else, through `call-raw`.
@main
struct Kioskctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskctl",
        abstract: "Control and inspect kioskd, the queue-and-call daemon of a service hall.",
        discussion: """
            Every command talks to kioskd over its Unix socket (--socket, or $KIOSKD_SOCKET, else \
            /run/kioskd/kioskd.sock) and prints readable text; add --json for the daemon's raw result. \
            At a terminal, tables are fitted to its width (--wide shows every column; COLUMNS sets a \
            width, also for a pipe) and states are coloured, unless NO_COLOR is set. Times are hall \
            time with the hall's offset.

            Tickets can be named by id (17) or by today's number (A001); certificates by serial.

            Exit status: 0 done; 1 kioskd could not be reached; 2 kioskd refused the request (the \
            reason is printed in parentheses, e.g. "(not_found)") or what was asked failed; 64 the \
            command line itself is wrong. The checks exit 1 when what they check fails: doctor, \
            cert verify (an invalid certificate), audit verify (a broken chain); cert preview, which \
            renders on this machine without kioskd, exits 1 when it cannot.
            """,
        groupedSubcommands: [
            CommandGroup(name: "Daemon", subcommands: [
                StatusCommand.self, DoctorCommand.self, HelloCommand.self, CallRawCommand.self,
            ]),
            CommandGroup(name: "Tickets", subcommands: [
                CategoriesCommand.self, TakeCommand.self, TicketCommand.self, WaitingCommand.self,
                RequeueCommand.self, CancelCommand.self, PrintTicketCommand.self, AppointmentCommand.self,
            ]),
            CommandGroup(name: "Counter windows", subcommands: [
                WindowsCommand.self, WindowCommand.self, CallCommand.self, RecallCommand.self, StartCommand.self,
                FinishCommand.self, NoShowCommand.self, TransferCommand.self, EvaluateCommand.self,
            ]),
            CommandGroup(name: "Reports and events", subcommands: [StatsCommand.self, WatchCommand.self]),
            CommandGroup(name: "Devices", subcommands: [
                DevicesCommand.self, DeviceCommand.self, IDCardCommand.self, SimCommand.self,
            ]),
            CommandGroup(name: "Screens and voice", subcommands: [ScreensCommand.self, SayCommand.self, VoiceCommand.self]),
            CommandGroup(name: "Certificates", subcommands: [CertCommand.self, AuditCommand.self]),
        ])
}
