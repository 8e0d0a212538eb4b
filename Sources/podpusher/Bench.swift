import ArgumentParser
import Foundation

struct Bench: RunnableCommand {
    static let configuration = CommandConfiguration(abstract: "The benchmark harness (DESIGN.md §8).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    mutating func execute() throws -> Int32 {
        throw CLIError(message: "bench is being written", code: Exit.failure)
    }
}
