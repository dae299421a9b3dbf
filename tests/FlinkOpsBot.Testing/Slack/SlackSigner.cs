using System.Security.Cryptography;
using System.Text;

namespace FlinkOpsBot.Testing.Slack;

/// <summary>Signs request bodies the way Slack does, independently of the code under test.</summary>
public static class SlackSigner
{
    /// <summary>The signing secret of Slack's documented example, used by every test host.</summary>
    public const string DocsSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    public static string Sign(string secret, long timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
}
