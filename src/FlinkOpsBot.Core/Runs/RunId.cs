using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace FlinkOpsBot.Core.Runs;

/// <summary>
/// A run's short id that people can type: <c>R-</c> and four characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L, U), e.g. <c>R-7Q2K</c>. Parsing is case-insensitive.
/// </summary>
public readonly record struct RunId
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 4;

    private RunId(string value) => Value = value;

    /// <summary>The canonical form, upper case, e.g. <c>R-7Q2K</c>.</summary>
    public string Value { get; }

    /// <summary>A new random id (about 810,000 possibilities; the store refuses a collision and the caller retries).</summary>
    public static RunId New()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new RunId("R-" + new string(chars));
    }

    /// <summary>Parses <c>R-7Q2K</c> or <c>r-7q2k</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RunId id)
    {
        id = default;
        if (text is null) return false;
        var s = text.Trim().ToUpperInvariant();
        if (s.Length != Length + 2 || !s.StartsWith("R-", StringComparison.Ordinal)) return false;
        foreach (var c in s.AsSpan(2))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal)) return false;
        }
        id = new RunId(s);
        return true;
    }

    /// <summary>Parses a run id that is known to be valid (from storage); throws <see cref="FormatException"/> otherwise.</summary>
    public static RunId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a run id (expected R- and four characters, e.g. R-7Q2K).");

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
