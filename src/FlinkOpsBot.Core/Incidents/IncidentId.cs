using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// An incident's short id that people can type: <c>INC-</c> and four characters from the same alphabet as run ids
/// (no 0/O, 1/I/L, U), e.g. <c>INC-4F2K</c>. Parsing is case-insensitive.
/// </summary>
public readonly record struct IncidentId
{
    private const string Prefix = "INC-";
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 4;

    private IncidentId(string value) => Value = value;

    /// <summary>The canonical form, upper case, e.g. <c>INC-4F2K</c>.</summary>
    public string Value { get; }

    /// <summary>A new random id (about 810,000 possibilities; the store refuses a collision and the caller retries).</summary>
    public static IncidentId New()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new IncidentId(Prefix + new string(chars));
    }

    /// <summary>Parses <c>INC-4F2K</c> or <c>inc-4f2k</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IncidentId id)
    {
        id = default;
        if (text is null) return false;
        var s = text.Trim().ToUpperInvariant();
        if (s.Length != Length + Prefix.Length || !s.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        foreach (var c in s.AsSpan(Prefix.Length))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal)) return false;
        }
        id = new IncidentId(s);
        return true;
    }

    /// <summary>Parses an incident id that is known to be valid (from storage); throws <see cref="FormatException"/> otherwise.</summary>
    public static IncidentId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an incident id (expected INC- and four characters, e.g. INC-4F2K).");

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
