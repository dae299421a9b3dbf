using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Teams.Tests;

/// <summary>Start-up validation of the Teams section: every failure names its setting and never echoes a secret.</summary>
public sealed class TeamsOptionsValidatorTests
{
    private const string AppId = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a";
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private static ValidateOptionsResult Validate(TeamsOptions options) => new TeamsOptionsValidator().Validate(null, options);

    [Fact]
    public void Validate_SecretAndTenant_Succeeds() =>
        Assert.True(Validate(new TeamsOptions { AppId = AppId, AppPassword = "s3cret", TenantId = Tenant }).Succeeded);

    [Fact]
    public void Validate_LegacyMultiTenantAuthority_NeedsNoTenant() =>
        Assert.True(Validate(new TeamsOptions { AppId = AppId, AppPassword = "s3cret", Authority = TeamsOptions.MultiTenantAuthority }).Succeeded);

    [Fact]
    public void Validate_Empty_NamesAppIdCredentialAndTenant()
    {
        var result = Validate(new TeamsOptions());
        Assert.Contains("Teams:AppId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Teams:AppPassword", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Teams:TenantId", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://login.example.com/tenant")]
    [InlineData("https://login.microsoftonline.com/")]
    public void Validate_BadAuthority_Fails(string authority)
    {
        var result = Validate(new TeamsOptions { AppId = AppId, AppPassword = "s3cret-value", Authority = new Uri(authority) });
        Assert.Contains("Teams:Authority", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LoopbackHttpAuthority_IsAcceptedForTests() =>
        Assert.True(Validate(new TeamsOptions { AppId = AppId, AppPassword = "s3cret", Authority = new Uri("http://127.0.0.1:5000/" + Tenant) }).Succeeded);

    [Fact]
    public void Validate_TenantThatIsNotAGuid_FailsEvenWithAnAuthority()
    {
        var result = Validate(new TeamsOptions { AppId = AppId, AppPassword = "s3cret", TenantId = "contoso.onmicrosoft.com", Authority = new Uri("http://127.0.0.1:5000/" + Tenant) });
        Assert.Contains("Teams:TenantId must be the Entra tenant id, a GUID", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoCredentials_Fails() =>
        Assert.False(Validate(new TeamsOptions { AppId = AppId, AppPassword = "s3cret", CertificateThumbprint = "ABCD", TenantId = Tenant }).Succeeded);

    [Fact]
    public void AddTeams_MissingSettings_FailsOnFirstUseNamingTheSetting()
    {
        using var services = new ServiceCollection().AddLogging()
            .AddTeams(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AppId"] = AppId }).Build())
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);
        Assert.Contains("Teams:AppPassword", error.Message, StringComparison.Ordinal);
    }
}
