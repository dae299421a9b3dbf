using System.Text.RegularExpressions;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// CMF 2.3's <c>filter</c> query parameter, for the expressions FlinkSim understands: <c>name=&lt;pattern&gt;</c>
/// (<c>*</c> matches anything), <c>state=X</c> / <c>state in (X, Y)</c> / <c>state notin (X, Y)</c> on an
/// application's job state, and the same with <c>phase</c> on a statement's phase; comma-separated, all must hold.
/// Any other expression (labels, for one) answers 400 naming it, rather than being ignored.
/// </summary>
internal static partial class CmfFilter
{
    [GeneratedRegex(@"^\s*(?<field>[a-zA-Z]+)\s*(?:(?<op>!=|=)\s*(?<value>[^,()]*?)|\s(?<op>in|notin)\s*\((?<values>[^)]*)\))\s*$")]
    private static partial Regex Expression();

    [GeneratedRegex(@",(?![^()]*\))")]
    private static partial Regex TopLevelComma();

    /// <summary>
    /// Parses <paramref name="filter"/> (may be null: everything matches) into a predicate over (name, state);
    /// <paramref name="stateField"/> is <c>state</c> (applications) or <c>phase</c> (statements), <c>null</c> where
    /// neither applies. <paramref name="error"/> is set for an expression FlinkSim does not support.
    /// </summary>
    public static Func<string, string?, bool>? Parse(string? filter, string? stateField, out string? error)
    {
        error = null;
        Func<string, string?, bool> predicate = (_, _) => true;
        if (string.IsNullOrWhiteSpace(filter)) return predicate;
        foreach (var part in TopLevelComma().Split(filter))
        {
            var match = Expression().Match(part);
            var field = match.Groups["field"].Value;
            if (!match.Success || (field != "name" && field != stateField))
            {
                var fields = stateField is null ? "name" : $"name and {stateField}";
                error = $"Unsupported filter expression '{part.Trim()}': FlinkSim filters on {fields} only (e.g. name=orders*{(stateField is null ? "" : $",{stateField} in (RUNNING, FAILED)")}).";
                return null;
            }
            var op = match.Groups["op"].Value;
            var values = op is "in" or "notin"
                ? match.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [match.Groups["value"].Value.Trim()];
            Func<string?, bool> test = field == "name"
                ? value => values.Any(pattern => Wildcard(pattern, value ?? ""))
                : value => values.Any(wanted => string.Equals(wanted, value, StringComparison.OrdinalIgnoreCase));
            var negate = op is "!=" or "notin";
            var previous = predicate;
            predicate = field == "name"
                ? (name, state) => previous(name, state) && test(name) != negate
                : (name, state) => previous(name, state) && test(state) != negate;
        }
        return predicate;
    }

    private static bool Wildcard(string pattern, string value) =>
        Regex.IsMatch(value, "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
}
