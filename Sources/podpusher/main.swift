import ArgumentParser
import Foundation

BenchProbe.markStart()
// Files the app creates are private to the user: folders 0700, files 0600.
umask(0o077)
setlocale(LC_ALL, "")

let code: Int32
do {
    var command = try PodPusher.parseAsRoot()
    if var runnable = command as? RunnableCommand {
        code = try runnable.execute()
    } else {
        try command.run()
        code = Exit.ok
    }
} catch let error as CLIError {
    Output.err("podpusher: \(error.message)")
    code = error.code
} catch {
    let exitCode = PodPusher.exitCode(for: error)
    let message = PodPusher.fullMessage(for: error)
    if exitCode == .success {
        Output.out(message)
        code = Exit.ok
    } else {
        Output.err(message.isEmpty ? "podpusher: \(error)" : message)
        // Usage errors are exit 2 by the contract (ArgumentParser's own default is 64).
        code = exitCode == .validationFailure || exitCode.rawValue == 64 ? Exit.usage : Exit.failure
    }
}
exit(code)
