using System.Diagnostics.CodeAnalysis;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// An incident's short id that people can type: <c>INC-</c> and four characters from the same alphabet as run ids
/// (no 0/O, 1/I/L, U), e.g. <c>INC-4F2K</c>. Parsing is case-insensitive.
/// </summary>
public readonly record struct IncidentId
{
    private const string Prefix = "INC-";

    private IncidentId(string value) => Value = value;

    /// <summary>The canonical form, upper case, e.g. <c>INC-4F2K</c>.</summary>
    public string Value { get; }

    /// <summary>A new random id (about 810,000 possibilities; the store refuses a collision and the caller retries).</summary>
    public static IncidentId New() => new(ShortIds.New(Prefix));

    /// <summary>Parses <c>INC-4F2K</c> or <c>inc-4f2k</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IncidentId id)
    {
        id = ShortIds.TryParse(text, Prefix, out var canonical) ? new IncidentId(canonical) : default;
        return canonical is not null;
    }

    /// <summary>Parses an incident id that is known to be valid (from storage); throws <see cref="FormatException"/> otherwise.</summary>
    public static IncidentId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an incident id (expected INC- and four characters, e.g. INC-4F2K).");

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
