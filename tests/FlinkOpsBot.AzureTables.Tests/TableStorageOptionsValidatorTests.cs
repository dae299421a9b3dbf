using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests;

public sealed class TableStorageOptionsValidatorTests
{
    private const string DevelopmentConnectionString = "UseDevelopmentStorage=true";
    private readonly TableStorageOptionsValidator _validator = new("Storage");

    [Fact]
    public void Validate_ConnectionStringOnly_Succeeds()
    {
        Assert.True(_validator.Validate(null, new TableStorageOptions { ConnectionString = DevelopmentConnectionString }).Succeeded);
    }

    [Fact]
    public void Validate_HttpsTableEndpointOnly_Succeeds()
    {
        Assert.True(_validator.Validate(null, new TableStorageOptions { TableEndpoint = new Uri("https://prodbot.table.core.windows.net") }).Succeeded);
    }

    [Fact]
    public void Validate_NeitherSet_NamesBothSettings()
    {
        var failure = Failure(new TableStorageOptions());

        Assert.StartsWith("Storage:ConnectionString or Storage:TableEndpoint must be set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BothSet_AsksForOne()
    {
        var failure = Failure(new TableStorageOptions { ConnectionString = DevelopmentConnectionString, TableEndpoint = new Uri("https://prodbot.table.core.windows.net") });

        Assert.Equal("Set Storage:ConnectionString or Storage:TableEndpoint, not both.", failure);
    }

    [Fact]
    public void Validate_ConnectionStringWithoutAccountName_SaysWhichPartWithoutTheKey()
    {
        var failure = Failure(new TableStorageOptions { ConnectionString = $"AccountKey={AzuriteFixture.AccountKey}" });

        Assert.Equal("Storage:ConnectionString is not valid: AccountName is missing.", failure);
    }

    [Fact]
    public void Validate_HttpTableEndpoint_RequiresHttps()
    {
        var failure = Failure(new TableStorageOptions { TableEndpoint = new Uri("http://prodbot.table.core.windows.net") });

        Assert.StartsWith("Storage:TableEndpoint must be an absolute https URI", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1bot")]
    [InlineData("flink-ops")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijx")]
    public void Validate_BadTablePrefix_NamesTheRule(string prefix)
    {
        var failure = Failure(new TableStorageOptions { ConnectionString = DevelopmentConnectionString, TablePrefix = prefix });

        Assert.StartsWith("Storage:TablePrefix must be a letter followed by letters and digits", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetryLimitsOutOfRange_ReportsEach()
    {
        var result = new TableStorageOptionsValidator("Azure:Storage").Validate(null, new TableStorageOptions
        {
            ConnectionString = DevelopmentConnectionString,
            MaxRetries = 11,
            RetryDelay = TimeSpan.FromSeconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
            NetworkTimeout = TimeSpan.Zero,
        });

        Assert.Equal(
            [
                "Azure:Storage:MaxRetries must be between 0 and 10.",
                "Azure:Storage:RetryDelay must be positive and at most Azure:Storage:MaxRetryDelay.",
                "Azure:Storage:NetworkTimeout must be positive.",
            ],
            result.Failures);
    }

    private string Failure(TableStorageOptions options) => Assert.Single(_validator.Validate(null, options).Failures!);
}
