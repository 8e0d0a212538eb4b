import ArgumentParser
import Foundation
import PODCore
import PODStore
import PODSync

/// `podpusher connect PROVIDER`: the plain-line connect flow of DESIGN.md §5. Providers with
/// `auth = "device"` use RFC 8628 (the code to type is printed on its own line); token
/// providers (Printify, an OpenAI-compatible key) read the token from standard input, without
/// echo on a terminal, and check it with one real call before it is stored; Etsy uses the
/// authorization code + PKCE with a loopback redirect, or the redirected address pasted.
struct Connect: RunnableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect", abstract: "Connect a provider account: a device code to approve, or a token to paste.",
        discussion: "Exit 0 connected, 4 denied, 5 the code expired, 1 any other failure. Nothing secret is ever printed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "printify, openai, or a provider of config.toml with auth = \"device\"") var provider: String
    @Flag(name: .customLong("no-browser"), help: "Do not open a browser.") var noBrowser = false

    mutating func execute() throws -> Int32 {
        let ws = try global.workspace()
        let connector = ws.connector(store: try ws.openStore())
        let cancel = CancelFlag()
        let interrupt = Sync.onInterrupt { cancel.cancel() }
        defer { interrupt.cancel() }
        guard let auth = connector.auth(for: provider) else {
            throw CLIError(
                message: "unknown provider '\(provider)': add [providers.\(provider)] with auth = \"device\" or \"token\" to \(ws.configPath)",
                code: Exit.usage)
        }
        do throws(ConnectError) {
            let account: String?
            switch auth {
            case .device: account = try device(connector, cancel: cancel)
            case .pkce: account = try etsy(connector, cancel: cancel)
            case .token: account = try token(connector)
            }
            Output.out("connected to \(provider)" + (account.map { " as \($0)" } ?? ""))
            return Exit.ok
        } catch {
            let (code, message): (Int32, String)
            switch error {
            case .denied: (code, message) = (Exit.denied, "the request was denied (access_denied)")
            case .refused: (code, message) = (Exit.denied, error.description)
            case .expired: (code, message) = (Exit.expired, "the code expired before it was approved; run podpusher connect \(provider) again")
            case .notConfigured(let why): throw CLIError(message: why, code: Exit.usage)
            default: (code, message) = (Exit.failure, error.description)
            }
            Output.err("\(provider): \(message); nothing was stored")
            return code
        }
    }

    /// RFC 8628: the address and the code to type printed on their own lines, then polling.
    func device(_ connector: Connector, cancel: CancelFlag) throws(ConnectError) -> String? {
        let flow = try connector.deviceFlow(provider)
        let code = try flow.start()
        Output.out("Open this address on any device:")
        Output.out(code.verificationURIComplete ?? code.verificationURI)
        Output.out("and enter the code:")
        Output.out(code.userCode)
        fflush(nil)  // the code must reach a pipe now, not when the command ends
        if !noBrowser { Browser.open(code.verificationURIComplete ?? code.verificationURI) }
        return try connector.completeDevice(provider, flow: flow, code: code, cancel: cancel) { interval in
            let left = Int(code.expiresAt.timeIntervalSinceNow)
            Output.err("waiting for approval (the code expires in \(max(0, left)) s, next check in \(Int(interval)) s)")
        }
    }

    /// Etsy: the authorization address printed (and opened), then the redirect awaited on the
    /// loopback port, or the redirected address pasted.
    func etsy(_ connector: Connector, cancel: CancelFlag) throws(ConnectError) -> String? {
        let auth = try connector.beginEtsy()
        Output.out("Open this address, approve PODPusher, and come back:")
        Output.out(auth.url)
        Output.out("(If the browser cannot reach this machine, paste the address it ends on here.)")
        fflush(nil)
        if !noBrowser { Browser.open(auth.url) }
        guard let redirect = auth.awaitRedirect(readStdin: true, cancel: cancel) else {
            throw cancel.isCancelled ? .cancelled : .expired
        }
        return try connector.completeEtsy(auth, redirect: redirect)
    }

    /// Reads a token from standard input (no echo on a terminal); the connector checks it.
    func token(_ connector: Connector) throws(ConnectError) -> String? {
        if isatty(STDIN_FILENO) == 1 { Output.err("Paste the \(provider) token (it is not shown), then Enter: ", terminator: "") }
        guard let token = readSecretLine(), !token.isEmpty else { throw .failed("no token was given") }
        return try connector.saveToken(provider, token: token)
    }

    func readSecretLine() -> String? {
        var saved = termios()
        let tty = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0
        if tty {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        defer {
            if tty {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                Output.err("")
            }
        }
        return readLine(strippingNewline: true)?.trimmingWhitespace()
    }
}

/// Opens an address in the desktop's browser, when there is a desktop (over SSH the printed
/// address is enough).
enum Browser {
    static func open(_ url: String) {
        let env = ProcessInfo.processInfo.environment
        guard env["DISPLAY"] != nil || env["WAYLAND_DISPLAY"] != nil else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["xdg-open", url]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
    }
}

/// `podpusher disconnect PROVIDER`: the credential removed, the connection marked.
struct Disconnect: RunnableCommand {
    static let configuration = CommandConfiguration(commandName: "disconnect", abstract: "Forget a provider's credentials.")
    @OptionGroup var global: GlobalOptions
    @Argument var provider: String

    mutating func execute() throws -> Int32 {
        let ws = try global.workspace()
        let connector = ws.connector(store: try ws.openStore())
        // A provider it knows, or one a credential is still kept for: nothing else is recorded.
        guard try connector.auth(for: provider) != nil || connector.credentials.providers().contains(provider) else {
            throw CLIError(message: "unknown provider '\(provider)' (known: \(connector.providerNames.joined(separator: ", ")))", code: Exit.usage)
        }
        try connector.disconnect(provider)
        Output.out("disconnected from \(provider); its credentials are removed")
        return Exit.ok
    }
}
