using FlinkOpsBot.AzureTables.Stores;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("orders-enricher", "orders-enricher")]
    [InlineData("prod_eu.v2", "prod_eu.v2")]
    [InlineData("orders/enricher v2", "orders~2Fenricher~20v2")]
    [InlineData(@"a\b#c?d", "a~5Cb~23c~3Fd")]
    [InlineData("a~2F", "a~7E2F")]
    [InlineData("é", "~C3~A9")]
    [InlineData("tab\there", "tab~09here")]
    public void Encode_Name_GivesReadableKey(string name, string expected)
    {
        Assert.Equal(expected, TableKeys.Encode(name));
    }

    [Fact]
    public void Encode_AnyName_HoldsNoCharacterTableKeysForbid()
    {
        var name = new string(Enumerable.Range(0, 0x250).Select(code => (char)code).ToArray());

        var key = TableKeys.Encode(name);

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }

    [Fact]
    public void Encode_NamesThatLookAlikeOnceEscaped_GiveDistinctKeys()
    {
        string[] names = ["a/b", "a~2Fb", "a%2Fb", "A/b", "a b", "a~20b"];

        Assert.Equal(names.Length, names.Select(TableKeys.Encode).Distinct(StringComparer.Ordinal).Count());
    }
}
