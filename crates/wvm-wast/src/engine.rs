//! The wvm engine as a [`Backend`]: one store and linker per script, `spectest` defined.

use wvm::{Config, Engine, ErrorKind, ExternRef, Instance, Linker, Module, Store, TrapCode, Val};
use wvm_binary::Features;

use crate::backend::{Backend, ExecError, InstanceId};
use crate::spectest::{self, PrintTo};
use crate::values::{RefKind, Value};

/// Whether this build can execute scripts.
pub const AVAILABLE: bool = true;

struct WvmBackend {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    instances: Vec<Instance>,
}

/// An engine configured for `features`.
pub fn engine_for(features: &Features) -> Engine {
    let mut config = Config::new();
    config.wasm_features(*features);
    Engine::new(&config)
}

/// A fresh backend for one script.
pub fn backend(features: &Features) -> Result<Box<dyn Backend>, String> {
    let engine = engine_for(features);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    // `register` may reuse a name; the later registration wins, as in the reference interpreter.
    linker.allow_shadowing(true);
    spectest::define(&mut linker, &mut store, PrintTo::Nowhere)
        .map_err(|e| format!("cannot define spectest: {e}"))?;
    Ok(Box::new(WvmBackend {
        engine,
        store,
        linker,
        instances: Vec::new(),
    }))
}

/// Whether the engine executes SIMD (the `simd` spec files are skipped otherwise): compiles
/// and runs a small SIMD function.
pub fn supports_simd() -> bool {
    let features = Features {
        simd: true,
        ..Features::wasm2()
    };
    let Ok(bytes) = wat::parse_str(
        r#"(module (func (export "f") (result i32)
             (i32x4.extract_lane 2 (i32x4.add (i32x4.splat (i32.const 40))
                                              (v128.const i32x4 0 1 2 3)))))"#,
    ) else {
        return false;
    };
    let Ok(mut b) = backend(&features) else {
        return false;
    };
    let Ok(inst) = b.instantiate(&bytes) else {
        return false;
    };
    matches!(b.invoke(inst, "f", &[]).as_deref(), Ok([Value::I32(42)]))
}

/// Sorts an engine error into what the runner distinguishes.
pub fn classify(e: wvm::Error) -> ExecError {
    match e.kind() {
        ErrorKind::Trap(t) => ExecError::Trap {
            message: t.code.message().to_string(),
            exhausted: t.code == TrapCode::StackOverflow,
        },
        ErrorKind::Link(m) => ExecError::Link(m.clone()),
        ErrorKind::Decode { .. } | ErrorKind::Validation { .. } | ErrorKind::Text(_) => {
            ExecError::Compile(e.to_string())
        }
        _ => ExecError::Other(e.to_string()),
    }
}

impl WvmBackend {
    fn instance(&self, id: InstanceId) -> Result<Instance, ExecError> {
        self.instances
            .get(id)
            .copied()
            .ok_or_else(|| ExecError::Other(format!("no instance {id}")))
    }

    fn make_val(&mut self, v: &Value) -> Val {
        match v {
            Value::I32(x) => Val::I32(*x),
            Value::I64(x) => Val::I64(*x),
            Value::F32(x) => Val::F32(*x),
            Value::F64(x) => Val::F64(*x),
            Value::V128(x) => Val::V128(*x),
            Value::Null(RefKind::Extern) => Val::ExternRef(None),
            Value::Null(_) => Val::FuncRef(None),
            Value::Func => Val::FuncRef(None),
            Value::Extern(n) => {
                Val::ExternRef(Some(ExternRef::new(&mut self.store, n.unwrap_or(u32::MAX))))
            }
        }
    }

    fn value_of(&self, v: &Val) -> Value {
        match v {
            Val::I32(x) => Value::I32(*x),
            Val::I64(x) => Value::I64(*x),
            Val::F32(x) => Value::F32(*x),
            Val::F64(x) => Value::F64(*x),
            Val::V128(x) => Value::V128(*x),
            Val::FuncRef(None) => Value::Null(RefKind::Func),
            Val::FuncRef(Some(_)) => Value::Func,
            Val::ExternRef(None) => Value::Null(RefKind::Extern),
            Val::ExternRef(Some(r)) => Value::Extern(
                r.data(&self.store)
                    .ok()
                    .and_then(|d| d.downcast_ref::<u32>().copied()),
            ),
        }
    }
}

impl Backend for WvmBackend {
    fn instantiate(&mut self, bytes: &[u8]) -> Result<InstanceId, ExecError> {
        let module = Module::new(&self.engine, bytes).map_err(classify)?;
        let inst = self
            .linker
            .instantiate(&mut self.store, &module)
            .map_err(classify)?;
        self.instances.push(inst);
        Ok(self.instances.len() - 1)
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), ExecError> {
        let inst = self.instance(instance)?;
        self.linker
            .instance(&mut self.store, name, inst)
            .map(|_| ())
            .map_err(classify)
    }

    fn invoke(
        &mut self,
        instance: InstanceId,
        func: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, ExecError> {
        let inst = self.instance(instance)?;
        let f = inst
            .get_func(&mut self.store, func)
            .ok_or_else(|| ExecError::Other(format!("no exported function {func:?}")))?;
        let ty = f.ty(&self.store);
        let params: Vec<Val> = args.iter().map(|a| self.make_val(a)).collect();
        let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
        f.call(&mut self.store, &params, &mut results)
            .map_err(classify)?;
        Ok(results.iter().map(|v| self.value_of(v)).collect())
    }

    fn get_global(&mut self, instance: InstanceId, name: &str) -> Result<Value, ExecError> {
        let inst = self.instance(instance)?;
        let g = inst
            .get_global(&mut self.store, name)
            .ok_or_else(|| ExecError::Other(format!("no exported global {name:?}")))?;
        let v = g.get(&self.store);
        Ok(self.value_of(&v))
    }
}
