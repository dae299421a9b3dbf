using System.Globalization;
using System.Text;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Commands;

/// <summary>
/// Parses a chat line (<c>/flink upgrade orders-enricher --jar orders-2.4.jar</c>, with or without <c>/flink</c>)
/// into a <see cref="ParsedCommand"/>. Never throws for user input: anything it cannot read becomes
/// <see cref="ParsedCommand.Invalid"/> with the reason and a usage line. Accepts what phones and chat clients do to
/// typing: an en or em dash for <c>--</c>, curly quotes, <c>--name=value</c>.
/// </summary>
public sealed partial class CommandParser
{
    private const string DecideUsage = "/flink approve|reject|cancel <R-XXXX|last> [comment]";
    private const string ParkedUsage = "/flink retry|continue|rollback|abandon <R-XXXX|last> [comment, or for continue the savepoint path]";
    private readonly RecipeCatalog _recipes;

    /// <summary>Creates a parser that knows the catalog's recipe verbs.</summary>
    public CommandParser(RecipeCatalog recipes) => _recipes = recipes;

    /// <summary>Parses one line.</summary>
    public ParsedCommand Parse(string? text)
    {
        if (!Tokenize(text ?? "", out var tokens, out var problem)) return new ParsedCommand.Invalid(problem, "/flink help");
        if (tokens.Count > 0 && tokens[0].Equals("/flink", StringComparison.OrdinalIgnoreCase)) tokens.RemoveAt(0);
        if (tokens.Count == 0) return new ParsedCommand.Help(null);

        var verb = tokens[0].ToLowerInvariant();
        var args = tokens.Skip(1).ToList();
        return verb switch
        {
            "help" or "-h" or "--help" or "?" => new ParsedCommand.Help(args.FirstOrDefault()),
            "runs" or "run" => ParseRuns(args),
            "timeline" => ParseTimeline(args),
            "incident" => ParseIncident(args),
            "note" => ParseNote(args),
            "approve" => ParseDecision(GateAction.Approve, args),
            "reject" => ParseDecision(GateAction.Reject, args),
            "cancel" => ParseDecision(GateAction.Cancel, args),
            "retry" => ParseDecision(GateAction.Retry, args),
            "continue" => ParseDecision(GateAction.Continue, args),
            "rollback" or "roll-back" => ParseDecision(GateAction.RollBack, args),
            "abandon" => ParseDecision(GateAction.Abandon, args),
            "confirm" => ParseDecision(GateAction.Confirm, args),
            "lock" or "unlock" or "locks" or "steal-lock" => ParseLocks(verb, args),
            _ when _recipes.Find(verb) is { } recipe => ParseRecipe(recipe, args),
            _ => new ParsedCommand.Invalid($"unknown command '{Shown(tokens[0])}'", "/flink help"),
        };
    }

    private static ParsedCommand ParseRuns(List<string> args) => args.Count switch
    {
        0 => new ParsedCommand.Runs(null),
        1 when RunId.TryParse(args[0], out var id) => new ParsedCommand.Runs(id),
        _ => new ParsedCommand.Invalid($"'{Shown(string.Join(' ', args))}' is not a run id", "/flink runs [R-XXXX]"),
    };

    private static ParsedCommand ParseDecision(GateAction action, List<string> args)
    {
        var usage = Lifecycle.RunDecisions.IsDecision(action) ? ParkedUsage : DecideUsage;
        if (args.Count == 0) return new ParsedCommand.Invalid($"{Lifecycle.RunDecisions.Verb(action)} needs a run id or 'last'", usage);
        var comment = args.Count > 1 ? string.Join(' ', args.Skip(1)) : null;
        if (args[0].Equals("last", StringComparison.OrdinalIgnoreCase)) return new ParsedCommand.Decide(action, null, comment);
        return RunId.TryParse(args[0], out var id)
            ? new ParsedCommand.Decide(action, id, comment)
            : new ParsedCommand.Invalid($"'{Shown(args[0])}' is not a run id (they look like R-7Q2K)", usage);
    }

    private static ParsedCommand ParseRecipe(Recipe recipe, List<string> args)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var byName = recipe.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (recipe.PositionalInput is not { } positional || inputs.ContainsKey(positional.Name))
                {
                    return new ParsedCommand.Invalid($"unexpected argument '{Shown(arg)}'", recipe.Usage);
                }
                if (Validate(positional, arg) is { } positionalProblem) return new ParsedCommand.Invalid(positionalProblem, recipe.Usage);
                inputs[positional.Name] = arg;
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            if (!byName.TryGetValue(name, out var input) || input.Positional)
            {
                var options = string.Join(", ", recipe.Inputs.Where(x => !x.Positional).Select(x => "--" + x.Name));
                return new ParsedCommand.Invalid($"unknown option --{Shown(name)} for {recipe.Id} (options: {options})", recipe.Usage);
            }
            if (inputs.ContainsKey(name)) return new ParsedCommand.Invalid($"--{name} was given twice", recipe.Usage);
            if (input.Type == InputType.Flag)
            {
                if (value is not null && value is not ("true" or "false")) return new ParsedCommand.Invalid($"--{name} is a switch; it takes no value", recipe.Usage);
                if (value != "false") inputs[name] = "true";
                continue;
            }
            if (value is null)
            {
                // Free text (program arguments) may itself start with "--": only another option of the recipe ends it.
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal) && (input.Type != InputType.Text || IsOption(recipe, args[i + 1])))
                {
                    return new ParsedCommand.Invalid($"--{name} needs a value ({input.Help})", recipe.Usage);
                }
                value = args[++i];
            }
            if (Validate(input, value) is { } problem) return new ParsedCommand.Invalid(problem, recipe.Usage);
            inputs[name] = value;
        }

        var missing = recipe.Inputs.Where(i => i.Required && !inputs.ContainsKey(i.Name)).ToList();
        if (missing.Count > 0)
        {
            var names = string.Join(" and ", missing.Select(m => m.Positional ? $"<{m.Name}> ({m.Help})" : $"--{m.Name} ({m.Help})"));
            return new ParsedCommand.Invalid($"{recipe.Id} needs {names}", recipe.Usage);
        }
        return new ParsedCommand.Start(recipe, inputs);
    }

    private static bool IsOption(Recipe recipe, string token) =>
        recipe.Inputs.Any(x => !x.Positional && (token == "--" + x.Name || token.StartsWith("--" + x.Name + "=", StringComparison.Ordinal)));

    private static string? Validate(RecipeInput input, string value) => input.Type switch
    {
        _ when string.IsNullOrWhiteSpace(value) => $"--{input.Name} needs a value",
        InputType.Int when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 =>
            $"--{input.Name} must be a positive whole number, not '{Shown(value)}'",
        InputType.Uri when !Uri.TryCreate(value, UriKind.Absolute, out _) =>
            $"--{input.Name} must be an absolute URI such as s3://bucket/savepoints, not '{Shown(value)}'",
        InputType.Name when !IsResourceName(value) =>
            $"{(input.Positional ? $"<{input.Name}>" : "--" + input.Name)} must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253), not '{Shown(value)}'",
        _ => null,
    };

    /// <summary>CMF's resource-name rule (DNS subdomain): <c>^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$</c>, 1–253 characters.</summary>
    internal static bool IsResourceName(string value) =>
        value.Length is >= 1 and <= 253 && value.Split('.').All(label =>
            label.Length > 0 && (char.IsAsciiLetterLower(label[0]) || char.IsAsciiDigit(label[0]))
            && (char.IsAsciiLetterLower(label[^1]) || char.IsAsciiDigit(label[^1]))
            && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));

    /// <summary>The most of a person's input a problem repeats, in UTF-16 code units; longer input is cut with an ellipsis.</summary>
    private const int MaxShown = 60;

    /// <summary>
    /// Input as a problem repeats it: control characters and line or paragraph separators (a quoted newline, a NUL)
    /// become U+FFFD, and input longer than <see cref="MaxShown"/> is cut with an ellipsis, so a problem stays one
    /// short printable line whatever was typed.
    /// </summary>
    private static string Shown(string input)
    {
        var cut = input.Length > MaxShown;
        var shown = new StringBuilder(input, 0, cut ? MaxShown : input.Length, MaxShown + 1);
        if (cut && char.IsHighSurrogate(shown[^1])) shown.Length--;
        for (var i = 0; i < shown.Length; i++)
        {
            if (char.IsControl(shown[i]) || shown[i] is '\u2028' or '\u2029') shown[i] = '\uFFFD';
        }
        return cut ? shown.Append('\u2026').ToString() : shown.ToString();
    }

    /// <summary>Splits a line into words, honouring quotes; false with a reason when a quote is not closed.</summary>
    internal static bool Tokenize(string text, out List<string> tokens, out string problem)
    {
        tokens = [];
        problem = "";
        var normalized = text
            .Replace('\u201C', '"').Replace('\u201D', '"').Replace('\u2018', '\'').Replace('\u2019', '\'')
            .Replace('\u00A0', ' ');
        var current = new StringBuilder();
        char? quote = null;
        var inToken = false;
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inToken) tokens.Add(current.ToString());
                current.Clear();
                inToken = false;
                continue;
            }
            // Phones and chat clients turn "--" into an en or em dash at the start of a word.
            if (!inToken && c is '\u2013' or '\u2014')
            {
                current.Append("--");
                inToken = true;
                continue;
            }
            current.Append(c);
            inToken = true;
        }
        if (quote is not null)
        {
            problem = $"a {quote} quote is not closed";
            return false;
        }
        if (inToken) tokens.Add(current.ToString());
        return true;
    }
}
