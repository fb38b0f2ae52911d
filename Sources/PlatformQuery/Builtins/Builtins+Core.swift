extension Builtins {
  static let core: [NativeFunction] = [
    NativeFunction(
      "print(...values)", variadicFrom: 0, doc: "Writes the values separated by one space and ends the line.",
      example: "print(\"X has\", x.mau)"
    ) { arguments throws(PQError) in
      let width = arguments.runtime.wrapWidth
      for value in arguments.values { try arguments.runtime.reserveText(of: value, arguments.span) }
      // Tables and charts in the form the host asked for (`pq --format markdown`).
      let format = arguments.runtime.display.tableFormat
      var texts: [String] = []
      for value in arguments.values {
        texts.append(
          format != .text && value.isTableLike
            ? try value.written(as: format, width: width) : value.rendered(width: width))
      }
      arguments.runtime.output(texts.joined(separator: " ") + "\n")
      return .nil
    },
    NativeFunction(
      "type(value)",
      doc: "The type name: nil, bool, number, quantity, string, list, record, platform, function.",
      example: "type(x.mau)"
    ) { arguments throws(PQError) in .string(arguments[0].typeName) },
    NativeFunction(
      "assert(condition, message?)", doc: "Fails with the message unless the condition is truthy.",
      example: "assert(x.mau > truth.mau, \"X is bigger\")"
    ) { arguments throws(PQError) in
      if arguments[0].isTruthy { return .nil }
      let message = arguments.optional(1).map { "assertion failed: \($0.text)" } ?? "assertion failed"
      throw PQError(.runtime, message)
    },
    NativeFunction(
      "error(message)", doc: "Stops with a runtime error carrying the message.", example: "error(\"no data\")"
    ) { arguments throws(PQError) in
      throw PQError(.runtime, arguments[0].text)
    },
    NativeFunction(
      "help(name?)", doc: "The signature, description and an example of a built-in or stdlib function.",
      example: "help(\"ratio\")"
    ) { arguments throws(PQError) in
      let natives = arguments.runtime.natives
      guard let subject = arguments.optional(0) else {
        return .string(Builtins.overview(natives: natives, prelude: StandardLibrary.docs))
      }
      let name: String
      switch subject {
      case .string(let text): name = text
      case .function(let function): name = function.name
      default: throw arguments.typeError(0, "a name or a function")
      }
      if let text = Builtins.helpText(name, natives: natives, prelude: StandardLibrary.docs) {
        return .string(text)
      }
      let known = Array(natives.keys) + Array(StandardLibrary.docs.keys)
      throw arguments.error(0, "no help for '\(name)'", notes: Suggestion.note(for: name, in: known))
    },
    NativeFunction(
      "str(value)", doc: "The value's display text (as print shows it).", example: "str(x.mau)"
    ) { arguments throws(PQError) in
      // A number's text without the display's dispatch over every kind of value.
      if case .number(let n) = arguments.first { return .string(NumberFormat.plain(n)) }
      try arguments.runtime.reserveText(of: arguments[0], arguments.span)
      return .string(arguments[0].description)
    },
    NativeFunction(
      "num(text)", doc: "Reads a number in pq notation: 70.4M, $2.6M, 57%, 1_000, 3.5e6.",
      example: "num(\"70.4M\")"
    ) { arguments throws(PQError) in
      if arguments[0].numericValue != nil { return arguments[0] }
      let text = try arguments.string(0)
      guard let value = Literal.parse(text) else { throw arguments.error(0, "'\(text)' is not a number") }
      return value
    },
    NativeFunction(
      "env(name)",
      doc:
        "An environment variable's value, or nil (the host must grant the environment; the pq command does).",
      example: "env(\"HOME\")"
    ) { arguments throws(PQError) in
      let name = try arguments.string(0)
      do throws(PQError) {
        guard let value = try arguments.runtime.environmentValue(name) else { return .nil }
        return .string(value)
      } catch {
        throw arguments.failure(error.message, notes: error.notes)
      }
    },
  ]
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
