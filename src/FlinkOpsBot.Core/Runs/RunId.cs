using System.Diagnostics.CodeAnalysis;

namespace FlinkOpsBot.Core.Runs;

/// <summary>
/// A run's short id that people can type: <c>R-</c> and four characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L, U), e.g. <c>R-7Q2K</c>. Parsing is case-insensitive.
/// </summary>
public readonly record struct RunId
{
    private const string Prefix = "R-";

    private RunId(string value) => Value = value;

    /// <summary>The canonical form, upper case, e.g. <c>R-7Q2K</c>.</summary>
    public string Value { get; }

    /// <summary>A new random id (about 810,000 possibilities; the store refuses a collision and the caller retries).</summary>
    public static RunId New() => new(ShortIds.New(Prefix));

    /// <summary>Parses <c>R-7Q2K</c> or <c>r-7q2k</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RunId id)
    {
        id = ShortIds.TryParse(text, Prefix, out var canonical) ? new RunId(canonical) : default;
        return canonical is not null;
    }

    /// <summary>Parses a run id that is known to be valid (from storage); throws <see cref="FormatException"/> otherwise.</summary>
    public static RunId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a run id (expected R- and four characters, e.g. R-7Q2K).");

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
