using Gateway.Core.Errors;

namespace Gateway.Storage.Conformance;

/// <summary>
/// The base of every conformance class: each test gets a fresh database from <see cref="CreateStoreAsync"/>.
/// A backend that legitimately differs overrides the test with a written reason.
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private StoreUnderTest? _store;

    /// <summary>The stores of the current test's fresh database.</summary>
    protected StoreUnderTest Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a fresh, empty, migrated database of the backend under test.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Asserts that <paramref name="action"/> throws a <see cref="GatewayException"/> with <paramref name="errorCode"/>.</summary>
    protected static async Task<GatewayException> AssertErrorAsync(string errorCode, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(action);
        Assert.Equal(errorCode, error.ErrorCode);
        return error;
    }
}
