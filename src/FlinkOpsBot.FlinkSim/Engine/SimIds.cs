using System.Security.Cryptography;
using System.Text;

namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>
/// Ids as Flink writes them (32 lowercase hex characters, Java UUIDs), from a seeded generator so that a cluster
/// driven the same way hands out the same ids. Not thread-safe: used under the simulation's lock.
/// </summary>
internal sealed class SimIds(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>A random id such as a JobID or trigger id.</summary>
    public string NewHex32() => NewHex(32);

    /// <summary><paramref name="length"/> random lowercase hex characters.</summary>
    public string NewHex(int length)
    {
        var bytes = new byte[(length + 1) / 2];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    /// <summary>A random UUID in Java's <c>UUID.toString()</c> form.</summary>
    public string NewUuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    /// <summary>A 32-hex id derived from <paramref name="text"/>: the same text, the same id (e.g. a vertex id).</summary>
    public static string StableHex32(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));

    /// <summary>A non-negative number derived from <paramref name="text"/>: the same text, the same number.</summary>
    public static long StableNumber(string text) =>
        (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) >> 1);

    /// <summary>Whether <paramref name="value"/> is a 32-hex id (either case, as Flink's parser accepts).</summary>
    public static bool IsHex32(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigit);
}
