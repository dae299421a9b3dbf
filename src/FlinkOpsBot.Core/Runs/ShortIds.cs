using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace FlinkOpsBot.Core.Runs;

/// <summary>
/// The short ids people type (<c>R-7Q2K</c>, <c>INC-4F2K</c>): a prefix and four characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L, U), about 810,000 per prefix. Parsing is case-insensitive and trims white space.
/// </summary>
internal static class ShortIds
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 4;

    /// <summary>A new random id with <paramref name="prefix"/>, e.g. <c>R-</c>.</summary>
    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return prefix + new string(chars);
    }

    /// <summary>The canonical (upper-case) form of <paramref name="text"/> when it is an id with <paramref name="prefix"/>; false otherwise.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, string prefix, [NotNullWhen(true)] out string? canonical)
    {
        canonical = null;
        if (text is null) return false;
        var s = text.Trim().ToUpperInvariant();
        if (s.Length != Length + prefix.Length || !s.StartsWith(prefix, StringComparison.Ordinal)) return false;
        foreach (var c in s.AsSpan(prefix.Length))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal)) return false;
        }
        canonical = s;
        return true;
    }
}
