package io.plantmesh.twin.server.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Predicate;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;

/**
 * A thing as Ditto's RQL predicate sees it while evaluating one {@code condition}: the predicate renders the whole
 * thing to JSON again for every field it compares ({@code Thing.toJson(Predicate)}; twice per write for the twin
 * ingestion's watermark condition), so this view renders it once per field filter and hands out the same JSON again.
 * Every other call goes to the thing itself. The thing is immutable, so the JSON cannot go stale; use one view per
 * evaluation, on one thread.
 *
 * <p>A condition that reads no hidden field ({@code _revision}, {@code _metadata}, ...) finds the same values in the
 * thing's regular JSON, which the engine keeps per revision anyway: {@link #of(Thing, JsonObject)} hands that out
 * instead of rendering anything.
 */
final class JsonOnceThing implements InvocationHandler {

    private final Thing thing;
    private final JsonObject regularJson;
    private Predicate<?> renderedWith;
    private Object rendered;

    private JsonOnceThing(Thing thing, JsonObject regularJson) {
        this.thing = thing;
        this.regularJson = regularJson;
    }

    /** The thing, rendered at most once per field filter. */
    static Thing of(Thing thing) {
        return proxy(new JsonOnceThing(thing, null));
    }

    /**
     * The thing, whose JSON for any field filter is {@code regularJson} (its regular JSON): only for a predicate that
     * reads no hidden field.
     */
    static Thing of(Thing thing, JsonObject regularJson) {
        return proxy(new JsonOnceThing(thing, regularJson));
    }

    private static Thing proxy(JsonOnceThing handler) {
        return (Thing) Proxy.newProxyInstance(Thing.class.getClassLoader(), new Class<?>[] {Thing.class}, handler);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        boolean renderWithFilter = "toJson".equals(method.getName()) && args != null && args.length == 1
                && args[0] instanceof Predicate<?>;
        if (renderWithFilter && regularJson != null) {
            return regularJson;
        }
        if (renderWithFilter) {
            // Ditto's predicate passes the same (stateless) filter each time: render once per filter
            if (args[0] != renderedWith) {
                rendered = thing.toJson((Predicate<JsonField>) args[0]);
                renderedWith = (Predicate<?>) args[0];
            }
            return rendered;
        }
        try {
            return method.invoke(thing, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
