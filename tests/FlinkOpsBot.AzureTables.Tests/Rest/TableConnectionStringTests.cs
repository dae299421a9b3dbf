using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Rest;

public sealed class TableConnectionStringTests
{
    private const string Key = AzuriteFixture.AccountKey;

    [Fact]
    public void Parse_UseDevelopmentStorage_GivesAzuriteDefaults()
    {
        var parsed = TableConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(Convert.FromBase64String(Key), parsed.AccountKey);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_UsesIt()
    {
        var parsed = TableConnectionString.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:41234/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:41234/devstoreaccount1"), parsed.TableEndpoint);
    }

    [Theory]
    [InlineData($"DefaultEndpointsProtocol=https;AccountName=prodbot;AccountKey={Key};EndpointSuffix=core.windows.net", "https://prodbot.table.core.windows.net/")]
    [InlineData($"AccountName=prodbot;AccountKey={Key}", "https://prodbot.table.core.windows.net/")]
    [InlineData($"accountname=prodbot; accountkey={Key}; endpointsuffix=core.chinacloudapi.cn; BlobEndpoint=https://x.blob.core.chinacloudapi.cn", "https://prodbot.table.core.chinacloudapi.cn/")]
    public void Parse_NoTableEndpoint_BuildsItFromAccountAndSuffix(string text, string expected)
    {
        Assert.Equal(new Uri(expected), TableConnectionString.Parse(text).TableEndpoint);
    }

    [Theory]
    [InlineData($"AccountKey={Key}", "AccountName is missing.")]
    [InlineData("AccountName=prodbot", "AccountKey is missing.")]
    [InlineData("AccountName=prodbot;AccountKey=not base64!", "AccountKey is not valid base64")]
    [InlineData($"DefaultEndpointsProtocol=ftp;AccountName=prodbot;AccountKey={Key}", "DefaultEndpointsProtocol must be http or https.")]
    [InlineData($"AccountName=prodbot;AccountKey={Key};TableEndpoint=/relative", "TableEndpoint is not an absolute http or https URI.")]
    [InlineData("TableEndpoint=https://prodbot.table.core.windows.net;SharedAccessSignature=sv=2019-02-02&sig=abc", "SharedAccessSignature is not supported")]
    [InlineData("AccountName=prodbot;AccountKey", "part 2 is not Name=Value.")]
    public void TryParse_BadPart_NamesThePartWithoutRepeatingTheKey(string text, string expectedError)
    {
        Assert.False(TableConnectionString.TryParse(text, out _, out var error));

        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error, StringComparison.Ordinal);
    }
}
