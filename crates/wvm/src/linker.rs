//! [`Linker`]: resolves imports by `(module, name)`.

use crate::config::Engine;
use crate::error::Error;
use crate::func::{Caller, Func, HostFn, IntoFunc};
use crate::instance::{instantiate, Instance};
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, Store};
use crate::values::Val;
use crate::Extern;
use std::collections::HashMap;
use std::sync::Arc;
use wvm_binary::{FuncType, ImportDesc};

enum Definition<T> {
    Extern(Extern),
    Host(FuncType, HostFn<T>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::Host(t, f) => Definition::Host(t.clone(), f.clone()),
        }
    }
}

/// Resolves imports by name, then instantiates.
///
/// ```
/// let engine = wvm::Engine::default();
/// let mut linker = wvm::Linker::<Vec<i32>>::new(&engine);
/// linker.func_wrap("env", "log", |mut c: wvm::Caller<'_, Vec<i32>>, x: i32| c.data_mut().push(x))?;
/// let module = wvm::Module::new(&engine, r#"(module
///     (import "env" "log" (func $log (param i32)))
///     (func (export "run") (call $log (i32.const 7))))"#)?;
/// let mut store = wvm::Store::new(&engine, Vec::new());
/// let instance = linker.instantiate(&mut store, &module)?;
/// instance.get_typed_func::<(), ()>(&store, "run")?.call(&mut store, ())?;
/// assert_eq!(store.data(), &[7]);
/// # Ok::<(), wvm::Error>(())
/// ```
pub struct Linker<T> {
    engine: Engine,
    defs: HashMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker {
            engine: self.engine.clone(),
            defs: self.defs.clone(),
            allow_shadowing: self.allow_shadowing,
        }
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(engine: &Engine) -> Self {
        Linker {
            engine: engine.clone(),
            defs: HashMap::new(),
            allow_shadowing: false,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a second definition of a name replaces the first (default: error).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self, Error> {
        let key = (module.to_string(), name.to_string());
        if !self.allow_shadowing && self.defs.contains_key(&key) {
            return Err(Error::link(format!(
                "import `{module}::{name}` defined twice"
            )));
        }
        self.defs.insert(key, def);
        Ok(self)
    }

    /// Defines a host function from a Rust closure (see [`Func::wrap`]).
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self, Error> {
        let (ty, host) = f.into_func();
        self.insert(module, name, Definition::Host(ty, host))
    }

    /// Defines a host function with a dynamic signature (see [`Func::new`]).
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Host(ty, Arc::new(f)))
    }

    /// Defines `module::name` as an existing object of the store.
    pub fn define(
        &mut self,
        ctx: impl AsContext<Data = T>,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        let item = item.into();
        let id = ctx.as_context().store.inner.id;
        let owner = match item {
            Extern::Func(f) => f.store,
            Extern::Table(t) => t.store,
            Extern::Memory(m) => m.store,
            Extern::Global(g) => g.store,
        };
        if owner != id {
            return Err(Error::usage("object used with a different store"));
        }
        self.insert(module, name, Definition::Extern(item))
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        ctx: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        let c = ctx.as_context();
        c.store.inner.check(instance.store)?;
        for (name, ext) in instance.exports(&c) {
            self.insert(module, &name, Definition::Extern(ext))?;
        }
        Ok(self)
    }

    /// Instantiates `module` and registers its exports under `name`.
    pub fn module(
        &mut self,
        mut ctx: impl AsContextMut<Data = T>,
        name: &str,
        module: &Module,
    ) -> Result<&mut Self, Error> {
        let inst = self.instantiate(&mut ctx, module)?;
        self.instance(&ctx, name, inst)
    }

    fn resolve(&self, store: &mut Store<T>, module: &str, name: &str) -> Option<Extern> {
        match self.defs.get(&(module.to_string(), name.to_string()))? {
            Definition::Extern(e) => Some(*e),
            Definition::Host(ty, f) => Some(Extern::Func(Func::from_host(store, ty, f.clone()))),
        }
    }

    /// The definition of `module::name` (host functions are created in the store).
    pub fn get(
        &self,
        mut ctx: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        self.resolve(ctx.as_context_mut().store, module, name)
    }

    /// Resolves the module's imports and instantiates it.
    pub fn instantiate(
        &self,
        mut ctx: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        let store = ctx.as_context_mut().store;
        let mut imports = Vec::with_capacity(module.ir().imports.len());
        for imp in &module.ir().imports {
            match self.resolve(store, &imp.module, &imp.name) {
                Some(e) => imports.push(e),
                None => {
                    let kind = match imp.desc {
                        ImportDesc::Func(_) => "func",
                        ImportDesc::Table(_) => "table",
                        ImportDesc::Memory(_) => "memory",
                        ImportDesc::Global(_) => "global",
                        ImportDesc::Tag(_) => "tag",
                    };
                    return Err(Error::link(format!(
                        "unknown import: module \"{}\" has no {kind} \"{}\"",
                        imp.module, imp.name
                    )));
                }
            }
        }
        instantiate(store, module, &imports)
    }
}
