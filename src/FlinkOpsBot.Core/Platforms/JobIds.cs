using System.Security.Cryptography;

namespace FlinkOpsBot.Core.Platforms;

/// <summary>Flink's 32-character lowercase hex identifiers (JobID, trigger id).</summary>
public static class JobIds
{
    /// <summary>A new random 32-hex id, for trigger ids and client-chosen JobIDs.</summary>
    public static string NewHex32() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True when <paramref name="text"/> is 32 hex characters (either case).</summary>
    public static bool IsHex32(string? text) =>
        text is { Length: 32 } && text.All(Uri.IsHexDigit);
}
