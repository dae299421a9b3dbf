using System.Text;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// Turns names from outside (cluster, job and platform names) into PartitionKey/RowKey values. Keys may not hold
/// <c>/ \ # ?</c> or control characters, and Flink job names may hold anything, so every character other than an
/// ASCII letter, digit, <c>-</c>, <c>_</c> or <c>.</c> is written as <c>~</c> and two hex digits per UTF-8 byte:
/// <c>orders/enricher v2</c> becomes <c>orders~2Fenricher~20v2</c>. Distinct names give distinct keys; the usual
/// names stay readable. Case is kept (Flink job names are case-sensitive, and so are table keys).
/// </summary>
internal static class TableKeys
{
    public static string Encode(string name)
    {
        if (name.All(IsKept)) return name;
        var key = new StringBuilder(name.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && IsKept((char)rune.Value))
            {
                key.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length]) key.Append('~').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return key.ToString();
    }

    private static bool IsKept(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
