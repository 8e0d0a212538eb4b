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
        let store = try ws.openStore()
        let values = ws.config.providers[provider] ?? [:]
        let auth = values["auth"] ?? ["etsy": "pkce", "printify": "token", "openai": "token"][provider]
        switch auth {
        case "device"?: return try device(ws: ws, store: store, values: values)
        case "token"?: return try token(ws: ws, store: store, values: values)
        case "pkce"? where provider == "etsy": return try pkce(ws: ws, store: store, values: values)
        default:
            throw CLIError(message: "unknown provider '\(provider)': add [providers.\(provider)] with auth = \"device\" or \"token\" to \(ws.configPath)",
                           code: Exit.usage)
        }
    }

    /// Etsy: the authorization address printed (and opened), then the redirect awaited on the
    /// loopback port, or the redirected address pasted; `state` checked, the code traded with
    /// the PKCE verifier, the token checked with `users/me`, then stored.
    func pkce(ws: Workspace, store: Store, values: [String: String]) throws -> Int32 {
        let etsy: EtsySettings
        do { etsy = try EtsySettings(values) } catch { throw CLIError(message: "\(error)", code: Exit.usage) }
        let settings = PKCESettings(etsy, values)
        let attempt = PKCE()
        let cancel = CancelFlag()
        let interrupt = Sync.onInterrupt { cancel.cancel() }
        defer { interrupt.cancel() }
        do {
            let listener = try LoopbackListener(port: settings.redirectPort)
            let url = try attempt.authorizeURL(settings)
            print("Open this address, approve PODPusher, and come back:")
            print(url)
            print("(If the browser cannot reach this machine, paste the address it ends on here.)")
            fflush(nil) // the address must reach a pipe now, not when the command ends
            if !noBrowser { openBrowser(url) }
            guard let redirect = listener.wait(timeout: 600, readStdin: true, cancel: cancel) else {
                if cancel.isCancelled { throw CLIError(message: "cancelled; nothing was stored", code: Exit.failure) }
                FileHandle.standardError.write(Data("etsy: no answer came within 10 minutes; run podpusher connect etsy again\n".utf8))
                return Exit.expired
            }
            let code = try attempt.code(fromRedirect: redirect)
            let credential = try attempt.exchange(code, settings: settings, transport: CurlTransport(), now: Date())
            let me = try EtsyClient(settings: etsy, token: credential.accessToken, transport: CurlTransport()).me()
            var saved = credential
            saved.account = "user \(me.userID)" + (me.shopID.map { ", shop \($0)" } ?? "")
            try CredentialStore(dataDirectory: ws.dataDirectory).save(saved, for: "etsy")
            try store.recordConnection(provider: "etsy", state: .connected, accountID: String(me.userID), accountName: saved.account,
                                       expiresAt: saved.expiresAt, lastError: nil, now: Date())
            print("connected to etsy as \(saved.account ?? "")")
            return Exit.ok
        } catch let e as ProviderError {
            if case .rejected(_, let message) = e, message.hasPrefix("Etsy said access_denied") {
                FileHandle.standardError.write(Data("etsy: \(message); nothing was stored\n".utf8))
                return Exit.denied
            }
            throw CLIError(message: "etsy: \(e); nothing was stored", code: Exit.failure)
        }
    }

    func device(ws: Workspace, store: Store, values: [String: String]) throws -> Int32 {
        let settings: DeviceFlowSettings
        do { settings = try DeviceFlowSettings(provider: provider, values) } catch { throw CLIError(message: "\(error)", code: Exit.usage) }
        let flow = DeviceFlow(settings: settings, transport: CurlTransport())
        let cancel = CancelFlag()
        let interrupt = Sync.onInterrupt { cancel.cancel() }
        defer { interrupt.cancel() }
        do {
            let code = try flow.start()
            print("Open this address on any device:")
            print(code.verificationURIComplete ?? code.verificationURI)
            print("and enter the code:")
            print(code.userCode)
            fflush(nil)
            if !noBrowser { openBrowser(code.verificationURIComplete ?? code.verificationURI) }
            let credential = try flow.poll(code, cancel: cancel) { interval in
                let left = Int(code.expiresAt.timeIntervalSinceNow)
                FileHandle.standardError.write(Data("waiting for approval (the code expires in \(max(0, left)) s, next check in \(Int(interval)) s)\n".utf8))
            }
            try flow.verify(credential)
            try CredentialStore(dataDirectory: ws.dataDirectory).save(credential, for: provider)
            try store.recordConnection(provider: provider, state: .connected, expiresAt: credential.expiresAt, lastError: nil, now: Date())
            print("connected to \(provider)")
            return Exit.ok
        } catch DeviceFlowError.denied {
            FileHandle.standardError.write(Data("\(provider): the request was denied; nothing was stored\n".utf8))
            return Exit.denied
        } catch DeviceFlowError.expired {
            FileHandle.standardError.write(Data("\(provider): the code expired before it was approved; run podpusher connect \(provider) again\n".utf8))
            return Exit.expired
        } catch let e as DeviceFlowError {
            throw CLIError(message: "\(provider): \(e)", code: Exit.failure)
        }
    }

    /// Reads a token from standard input (no echo on a terminal), checks it, stores it.
    func token(ws: Workspace, store: Store, values: [String: String]) throws -> Int32 {
        if isatty(STDIN_FILENO) == 1 { FileHandle.standardError.write(Data("Paste the \(provider) token (it is not shown), then Enter: ".utf8)) }
        guard let token = readSecretLine(), !token.isEmpty else { throw CLIError(message: "no token was given; nothing was stored", code: Exit.failure) }
        let check: HTTPRequest
        switch provider {
        case "printify":
            check = HTTPRequest(url: PrintifySettings(values).apiBaseURL + "/shops.json", headers: [HTTPHeader("Authorization", "Bearer \(token)")])
        default:
            let url = values["verify_url"] ?? (values["api_base_url"] ?? OpenAISettings.defaultBaseURL) + "/models"
            check = HTTPRequest(url: url, headers: [HTTPHeader("Authorization", "Bearer \(token)")])
        }
        let response: HTTPResponse
        do { response = try CurlTransport().send(check) } catch {
            throw CLIError(message: "\(provider): the token could not be checked: \(error); nothing was stored", code: Exit.failure)
        }
        guard response.isSuccess else {
            FileHandle.standardError.write(Data("\(provider): the token was refused (HTTP \(response.status)); nothing was stored\n".utf8))
            return Exit.denied
        }
        try CredentialStore(dataDirectory: ws.dataDirectory).save(Credential(accessToken: token), for: provider)
        try store.recordConnection(provider: provider, state: .connected, lastError: nil, now: Date())
        print("connected to \(provider)")
        return Exit.ok
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
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true)?.trimmingWhitespace()
    }

    func openBrowser(_ url: String) {
        let env = ProcessInfo.processInfo.environment
        guard env["DISPLAY"] != nil || env["WAYLAND_DISPLAY"] != nil else { return } // over SSH the address is enough
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
        let store = try ws.openStore()
        try CredentialStore(dataDirectory: ws.dataDirectory).remove(provider: provider)
        try store.recordConnection(provider: provider, state: .notConnected, lastError: nil, now: Date())
        print("disconnected from \(provider); its credentials are removed")
        return Exit.ok
    }
}
